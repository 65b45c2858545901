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
});
