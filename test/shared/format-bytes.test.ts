import { describe, expect, it } from "vitest";
import { formatBytes } from "../../shared/format-bytes.ts";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [9_999, "9999 B"],
    [412.6, "413 B"],
    [10_000, "10.0 kB"],
    [56_789, "56.8 kB"],
    [9_999_999, "10000.0 kB"],
    [10_000_000, "10.0 MB"],
    [Number.NaN, "–"],
    [Number.POSITIVE_INFINITY, "–"],
  ])("%d → %s", (bytes, shown) => {
    expect(formatBytes(bytes)).toBe(shown);
  });

  it.each([
    [23_400, "en", "23.4 kB"],
    [23_400, "tr", "23,4 kB"],
    [12_345_678, "tr", "12,3 MB"],
    [9_999, "tr", "9999 B"],
    [9_999_999, "en", "10000.0 kB"],
    [Number.NaN, "tr", "–"],
  ])("%d in %s → %s, the language's decimal mark and no thousands separator", (bytes, locale, shown) => {
    expect(formatBytes(bytes, locale)).toBe(shown);
  });
});
