import { describe, expect, it } from "vitest";
import { LatencyRecorder } from "../../../bench/core/percentiles.ts";

describe("LatencyRecorder", () => {
  it("gives percentiles, max and mean of known latencies within HDR's 3 significant digits", () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record(ms);
    const s = recorder.summary();
    expect(s.count).toBe(100);
    expect(s.p50).toBeCloseTo(50, 1);
    expect(s.p90).toBeCloseTo(90, 1);
    expect(s.p99).toBeCloseTo(99, 1);
    expect(s.max).toBeCloseTo(100, 1);
    expect(s.mean).toBeCloseTo(50.5, 1);
  });

  it("keeps microsecond resolution for sub-millisecond latencies", () => {
    const recorder = new LatencyRecorder();
    for (const ms of [0.1, 0.2, 0.3, 0.4, 0.5]) recorder.record(ms);
    const s = recorder.summary();
    expect(s.p50).toBeCloseTo(0.3, 3);
    expect(s.max).toBeCloseTo(0.5, 3);
    expect(s.cdf[0]![0]).toBeCloseTo(0.1, 3);
  });

  it("draws a CDF that never goes down and ends at 1", () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 1000; i++) recorder.record((i * 7919) % 1000);
    const cdf = recorder.summary().cdf;
    for (let i = 1; i < cdf.length; i++) {
      expect(cdf[i]![0]).toBeGreaterThanOrEqual(cdf[i - 1]![0]);
      expect(cdf[i]![1]).toBeGreaterThan(cdf[i - 1]![1]);
    }
    expect(cdf.at(-1)![1]).toBe(1);
  });

  it("says NaN, not 0, when nothing was recorded", () => {
    const s = new LatencyRecorder().summary();
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
  });
});
