import { describe, expect, it } from "vitest";
import { backoffDelay, FIRST_RECONNECT_DELAY_MS } from "../../../clients/transports/backoff.ts";

describe("backoffDelay (full jitter)", () => {
  it("ranges from 0 to a ceiling that doubles each attempt, up to MAX_RECONNECT_DELAY_MS", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffDelay(attempt, () => 1));
    expect(ceilings).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.5)).toBe(FIRST_RECONNECT_DELAY_MS / 2);
  });

  it("spreads the waits evenly over [0, ceiling): the herd's attempts land in every part of the window", () => {
    const attempt = 2; // ceiling 1000 ms
    const samples = Array.from({ length: 100_000 }, () => backoffDelay(attempt));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(1000);
    // Ten 100 ms bins expect 10 000 samples each (σ ≈ 95): ±5 % is more than 5σ, so only a skew fails this.
    const bins = new Array<number>(10).fill(0);
    for (const delay of samples) bins[Math.floor(delay / 100)]!++;
    for (const count of bins) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(Math.abs(mean - 500)).toBeLessThan(5); // σ of the mean ≈ 0.9 ms
  });
});
