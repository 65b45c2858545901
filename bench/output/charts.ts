import { groupLabel, type RunSummary } from "../analysis/aggregate.ts";
import { SLOPE_FIGURES, type SeriesSlopes, type SlopeFigure } from "../analysis/slopes.ts";
import { barChart, lineChart, type Series } from "./svg.ts";

const name = (s: RunSummary, g: RunSummary["groups"][number]) =>
  `${groupLabel(g, s.server, s.tls?.protocol)}${g.usesInterval ? ` T=${s.interval}` : ""} ×${g.clients}`;

/** Latency CDF per mode, log time axis: polling's flat T/2 ramp against WebSocket's near-vertical step. */
export function latencyCdfChart(summaries: RunSummary[]): string {
  return lineChart({
    title: "Delivery latency (POST sent → client has it), CDF",
    xLabel: "latency, ms (log scale)",
    yLabel: "fraction of messages",
    xLog: true,
    step: true,
    series: summaries.flatMap((s) => s.groups.map((g) => ({ name: name(s, g), points: g.latency.cdf }))),
  });
}

export function requestsChart(summaries: RunSummary[]): string {
  return barChart(
    "HTTP requests per delivered message",
    "requests / message / client",
    summaries.map((s) => ({ label: s.label, value: s.perMessage.requests, text: s.perMessage.requests.toFixed(2) })),
  );
}

export function bytesChart(summaries: RunSummary[]): string {
  return barChart(
    "Bytes on the wire per delivered message (both directions, headers and frames included)",
    "bytes / message / client",
    summaries.map((s) => ({ label: s.label, value: s.perMessage.bytes, text: `${Math.round(s.perMessage.bytes)} B` })),
  );
}

export function idleBytesChart(summaries: RunSummary[]): string {
  return barChart(
    "Bytes per second on the wire while nothing is published",
    "bytes / s (all clients)",
    summaries.map((s) => ({
      label: `${s.label} ×${s.clients}`,
      value: s.idleBytesPerSecond,
      text: `${Math.round(s.idleBytesPerSecond)} B/s`,
    })),
  );
}

export function idleCpuChart(summaries: RunSummary[]): string {
  return barChart(
    "Server CPU while nothing is published (clients connected)",
    "ms of CPU / s",
    summaries.map((s) => ({
      label: `${s.label} ×${s.clients}`,
      value: s.idleCpuMsPerSecond,
      text: `${s.idleCpuMsPerSecond.toFixed(1)} ms/s`,
    })),
  );
}

/** Sweep: one line per (mode, interval) against the number of clients. */
function sweepSeries(summaries: RunSummary[], value: (s: RunSummary) => number) {
  const lines = new Map<string, [number, number][]>();
  for (const s of summaries) {
    if (s.groups.length !== 1) continue; // runs with several groups at once are not part of the grid
    const g = s.groups[0]!;
    const key = `${groupLabel(g, s.server, s.tls?.protocol)}${g.usesInterval ? ` T=${s.interval} ms` : ""}`;
    lines.set(key, [...(lines.get(key) ?? []), [g.clients, value(s)]]);
  }
  return [...lines].map(([name, points]) => ({ name, points: points.sort((a, b) => a[0] - b[0]) }));
}

export function sweepBytesChart(summaries: RunSummary[]): string {
  const series = sweepSeries(summaries, (s) => s.idleBytesPerSecond);
  // A log axis cannot draw 0: say which modes were silent instead of leaving them out without a word.
  const silent = series.filter((s) => s.points.every(([, y]) => y === 0)).map((s) => s.name);
  return lineChart({
    title: `Bytes per second on the wire while idle${silent.length ? ` (${silent.join(", ")}: 0 B/s)` : ""}`,
    xLabel: "clients (log scale)",
    yLabel: "bytes / s (log scale)",
    xLog: true,
    yLog: true,
    series,
  });
}

export function sweepLatencyChart(summaries: RunSummary[]): string {
  return lineChart({
    title: "Mean delivery latency against clients and interval",
    xLabel: "clients (log scale)",
    yLabel: "mean latency, ms (log scale)",
    xLog: true,
    yLog: true,
    series: sweepSeries(summaries, (s) => s.groups[0]!.latency.mean),
  });
}

/** Sweep: idle server CPU against clients, per mode: polling pays for every empty answer, a socket pays nothing. */
export function sweepIdleCpuChart(summaries: RunSummary[]): string {
  return lineChart({
    title: "Server CPU while idle against clients",
    xLabel: "clients (log scale)",
    yLabel: "ms of CPU / s",
    xLog: true,
    series: sweepSeries(summaries, (s) => s.idleCpuMsPerSecond),
  });
}

/** Sweep: for each fitted cost, every mode's measured points (dots) against its least-squares line (dashed). */
export function fitCharts(slopes: SeriesSlopes[]): string[] {
  const figures: SlopeFigure[] = ["idleBytes", "bytes", "requests", "cpu", "idleCpu", "rss", "broadcast"];
  return figures.flatMap((figure) => {
    const series: Series[] = slopes.flatMap((s, i) => {
      const fit = s.fits[figure];
      if (!fit) return [];
      const [lo, hi] = [fit.points[0]![0], fit.points.at(-1)![0]];
      // The line is straight on a linear axis; drawn on the log axis through 25 points, so it bends as it should.
      const xs = Array.from({ length: 25 }, (_, k) => lo * (hi / lo) ** (k / 24));
      return [
        { name: `${s.series} measured`, points: fit.points, color: i },
        {
          name: `fit: ${fit.slope.toPrecision(3)} a client, R² ${fit.r2.toFixed(2)}`,
          points: xs.map((x): [number, number] => [x, fit.intercept + fit.slope * x]),
          color: i,
          fitted: true,
        },
      ];
    });
    if (series.length === 0) return [];
    const { label, unit } = SLOPE_FIGURES[figure];
    return [
      lineChart({
        title: `${label}: measured against the fitted line`,
        xLabel: "clients (log scale)",
        yLabel: unit,
        xLog: true,
        series,
      }),
    ];
  });
}
