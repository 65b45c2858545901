import { describe, expect, it } from "vitest";
import { SSE_RETRY_MS } from "../../../server/limits/waiting-limits.ts";
import { retryHintMs } from "../../../server/transports/retry-hint.ts";

describe("retryHintMs", () => {
  it("is SSE_RETRY_MS ± 50 %, whole milliseconds", () => {
    expect(retryHintMs(() => 0)).toBe(SSE_RETRY_MS / 2);
    expect(retryHintMs(() => 0.5)).toBe(SSE_RETRY_MS);
    expect(retryHintMs(() => 0.9999)).toBe(Math.round(SSE_RETRY_MS * 1.4999));
  });

  it("differs from stream to stream, spread over the whole range", () => {
    const hints = Array.from({ length: 10_000 }, () => retryHintMs());
    for (const hint of hints)
      expect(Number.isInteger(hint) && hint >= SSE_RETRY_MS / 2 && hint <= SSE_RETRY_MS * 1.5).toBe(true);
    // Ten equal bins over the range expect 1000 hints each (σ ≈ 30): a fixed hint or a skew fails this.
    const bins = new Array<number>(10).fill(0);
    for (const hint of hints) bins[Math.min(9, Math.floor(((hint - SSE_RETRY_MS / 2) / SSE_RETRY_MS) * 10))]!++;
    for (const count of bins) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });
});
