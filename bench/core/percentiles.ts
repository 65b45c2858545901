import { build, type Histogram } from "hdr-histogram-js";

/** Latency figures in milliseconds (recorded at microsecond resolution). */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Cumulative distribution, for the report's CDF chart: [latency ms, fraction of messages ≤ it]. */
  cdf: [number, number][];
}

/** Longest latency the histogram tracks: one minute, in µs. */
const HIGHEST_MICROS = 60_000_000;

/** Percentiles the CDF is drawn through. */
const CDF_PERCENTILES = [...Array.from({ length: 99 }, (_, i) => i), 99, 99.5, 99.9, 100];

/** Collects latencies in an HDR histogram (3 significant digits, 1 µs lowest discernible value). */
export class LatencyRecorder {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
  });

  /** Records one latency given in milliseconds. */
  record(ms: number): void {
    this.histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * 1000))));
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const ms = (micros: number) => micros / 1000;
    if (h.totalCount === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN, cdf: [] };
    return {
      count: h.totalCount,
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.maxValue),
      mean: ms(h.mean),
      cdf: CDF_PERCENTILES.map((p) => [ms(p === 0 ? h.minNonZeroValue : h.getValueAtPercentile(p)), p / 100]),
    };
  }
}
