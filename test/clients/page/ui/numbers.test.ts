import { describe, expect, it } from "vitest";
import { formatMs, formatNumber, formatPageBytes } from "../../../../clients/page/ui/numbers.ts";

describe("the page's numbers", () => {
  it("write bytes with the language's decimal mark", () => {
    expect(formatPageBytes(23_400, "en")).toBe("23.4 kB");
    expect(formatPageBytes(23_400, "tr")).toBe("23,4 kB");
  });

  it("write counts and milliseconds as the language does", () => {
    expect(formatNumber(1234, "en")).toBe("1,234");
    expect(formatNumber(1234, "tr")).toBe("1.234");
    expect(formatMs(1249.6, "en")).toBe("1,250 ms");
    expect(formatMs(1249.6, "tr")).toBe("1.250 ms");
    expect(formatMs(3.4, "tr")).toBe("3 ms");
  });

  it("follow the page's language when none is given (English in Node)", () => {
    expect(formatPageBytes(23_400)).toBe("23.4 kB");
    expect(formatNumber(-12, undefined, { signDisplay: "exceptZero" })).toBe("-12");
  });
});
