/**
 * How each cost grows with the class (bench --sweep): for every mode (and poll interval), a least-squares line
 * through the measured runs, cost = intercept + slope × clients, with R² saying how well a line fits. The slope is
 * what one more client costs; projection.ts extends the line to sizes the machine cannot run.
 */
import { cpuMsPerSecond, groupLabel, type RunSummary } from "./aggregate.ts";

/** y = intercept + slope × x, and the share of y's variance the line explains (1: every point on it). */
export interface Fit {
  slope: number;
  intercept: number;
  r2: number;
  /** The measured points, [clients, value]. */
  points: [number, number][];
}

/** Ordinary least squares; undefined with fewer than two distinct x. */
export function leastSquares(points: [number, number][]): Fit | undefined {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  if (n < 2 || sxx === 0) return undefined;
  const slope = sxy / sxx;
  // A flat line through flat points explains them all (a socket's idle bytes: 0 at every size).
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2, points };
}

/** The costs fitted against clients, how each is read from a run, and its unit per client. */
export const SLOPE_FIGURES = {
  bytes: {
    label: "bytes/s publishing",
    unit: "B/s",
    read: (s: RunSummary) => ((s.publish.bytesIn + s.publish.bytesOut) * 1000) / s.publish.ms,
  },
  idleBytes: { label: "bytes/s idle", unit: "B/s", read: (s: RunSummary) => s.idleBytesPerSecond },
  requests: { label: "requests/s", unit: "req/s", read: (s: RunSummary) => (s.publish.requests * 1000) / s.publish.ms },
  cpu: { label: "server CPU publishing", unit: "ms/s", read: (s: RunSummary) => cpuMsPerSecond(s.publish) },
  idleCpu: { label: "server CPU idle", unit: "ms/s", read: (s: RunSummary) => s.idleCpuMsPerSecond },
  rss: { label: "server RSS", unit: "B", read: (s: RunSummary) => s.serverPeakRssBytes },
  // Per added socket: runs without a broadcast (pollers) have none.
  broadcast: {
    label: "broadcast",
    unit: "µs",
    read: (s: RunSummary) => (s.broadcast && s.broadcast.sockets > 0 ? s.broadcast.p50Ms * 1000 : NaN),
  },
} as const;

export type SlopeFigure = keyof typeof SLOPE_FIGURES;

/** One mode (at one interval, for pollers) across the sweep's client counts. */
export interface SeriesSlopes {
  series: string;
  mode: string;
  interval: number;
  usesInterval: boolean;
  /** The run's message rate: the publishing figures are at this rate. */
  rate: number;
  clients: number[];
  fits: Partial<Record<SlopeFigure, Fit>>;
}

/** The sweep's single-group runs grouped by mode (and interval for pollers), each figure fitted against clients. */
export function sweepSlopes(summaries: RunSummary[]): SeriesSlopes[] {
  const series = new Map<string, RunSummary[]>();
  for (const s of summaries) {
    if (s.groups.length !== 1 || s.instances > 1) continue; // the sweep's mixed run is not part of a mode's line
    const g = s.groups[0]!;
    const key = `${groupLabel(g, s.server)}${g.usesInterval ? ` T=${s.interval} ms` : ""}`;
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  const out: SeriesSlopes[] = [];
  for (const [key, runs] of series) {
    const g = runs[0]!.groups[0]!;
    const fits: SeriesSlopes["fits"] = {};
    for (const figure of Object.keys(SLOPE_FIGURES) as SlopeFigure[]) {
      const points = runs
        .map((s): [number, number] => [s.clients, SLOPE_FIGURES[figure].read(s)])
        .filter(([, y]) => Number.isFinite(y))
        .sort((a, b) => a[0] - b[0]);
      const fit = leastSquares(points);
      if (fit) fits[figure] = fit;
    }
    if (Object.keys(fits).length === 0) continue;
    out.push({
      series: key,
      mode: g.mode,
      interval: runs[0]!.interval,
      usesInterval: g.usesInterval,
      rate: runs[0]!.rate,
      clients: runs.map((s) => s.clients).sort((a, b) => a - b),
      fits,
    });
  }
  return out;
}

const per = (fit: Fit, unit: string) => {
  const value = unit === "B" ? fit.slope / 1024 : fit.slope;
  const shown =
    Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(2);
  return `${shown} ${unit === "B" ? "kB" : unit}`;
};

/** One line per series: each figure's slope per added client (per added socket for the broadcast), with R². */
export function slopeLines(slopes: SeriesSlopes[]): string[] {
  return slopes.map((s) => {
    const parts = (Object.keys(s.fits) as SlopeFigure[]).map((figure) => {
      const fit = s.fits[figure]!;
      const each = figure === "broadcast" ? "socket" : "client";
      return `${SLOPE_FIGURES[figure].label} +${per(fit, SLOPE_FIGURES[figure].unit)} a ${each} (R² ${fit.r2.toFixed(2)})`;
    });
    return `${s.series}, clients ${s.clients.join(", ")}: ${parts.join("; ")}`;
  });
}
