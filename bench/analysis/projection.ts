/**
 * From the sweep's fitted lines (slopes.ts) to a room, a school and a stream: each cost at 30, 1,000 and 100,000
 * clients. A PROJECTION, not a measurement: the line is extended past what this machine ran, and one machine's
 * costs need not stay linear (memory, the kernel's socket tables, the CPU running out). Printed beside
 * websocket.org's MODEL of polling, so the class can compare a model with a measurement-based projection.
 */
import { slopeLines, type SeriesSlopes, type SlopeFigure } from "./slopes.ts";

const PROJECTED_CLIENTS = [30, 1000, 100_000];

/**
 * websocket.org's modelled table (their model, not a measurement): every client polls once a second and each
 * exchange carries 871 bytes of headers; Mbps at 1,000 / 10,000 / 100,000 clients.
 */
const WEBSOCKET_ORG_POLLING_MBPS: [number, number][] = [
  [1000, 6.6],
  [10_000, 66],
  [100_000, 665],
];

export interface Projection {
  series: string;
  clients: number;
  /** Megabits per second on the wire, both directions: while idle, and at the run's message rate. */
  idleMbps: number;
  mbps: number;
  requestsPerSecond: number;
  /** Server CPU at the run's message rate, in cores (1 = one core busy all the time). */
  cpuCores: number;
  rssMB: number;
}

const at = (s: SeriesSlopes, figure: SlopeFigure, clients: number) => {
  const fit = s.fits[figure];
  return fit ? Math.max(0, fit.intercept + fit.slope * clients) : NaN;
};

export function project(slopes: SeriesSlopes[], sizes = PROJECTED_CLIENTS): Projection[] {
  return slopes.flatMap((s) =>
    sizes.map((clients) => ({
      series: s.series,
      clients,
      idleMbps: (at(s, "idleBytes", clients) * 8) / 1e6,
      mbps: (at(s, "bytes", clients) * 8) / 1e6,
      requestsPerSecond: at(s, "requests", clients),
      cpuCores: at(s, "cpu", clients) / 1000,
      rssMB: at(s, "rss", clients) / 2 ** 20,
    })),
  );
}

const g = (n: number) =>
  !Number.isFinite(n)
    ? "–"
    : n >= 100
      ? n.toFixed(0)
      : n >= 10
        ? n.toFixed(1)
        : n >= 0.01 || n === 0
          ? n.toFixed(2)
          : n.toPrecision(1);

/** The projection as a table (rows = series × size), then websocket.org's model as rows of its own. */
export function projectionTable(projections: Projection[], rate: number): string[][] {
  const header = [
    "projection (from the fit)",
    "clients",
    "idle Mbps",
    `Mbps at ${rate} msg/s`,
    "req/s",
    "CPU cores",
    "RSS MB",
  ];
  const rows = projections.map((p) => [
    p.series,
    p.clients.toLocaleString("en-US"),
    g(p.idleMbps),
    g(p.mbps),
    g(p.requestsPerSecond),
    g(p.cpuCores),
    g(p.rssMB),
  ]);
  const model = WEBSOCKET_ORG_POLLING_MBPS.map(([clients, mbps]) => [
    "websocket.org MODEL, T=1 s",
    clients.toLocaleString("en-US"),
    String(mbps),
    "",
    "",
    "",
    "",
  ]);
  return [header, ...rows, ...model];
}

export const PROJECTION_NOTE =
  "projection: each cost's least-squares line through this sweep's runs, extended to 30, 1,000 and 100,000 clients " +
  "(not measured beyond the largest run; one machine's costs need not stay linear); " +
  "websocket.org's rows are their model (every client polls once a second, 871 B of headers an exchange), not a " +
  "measurement: compare them with polling T=1000 ms's idle Mbps";

export const GROWTH_HEADING = "How cost grows (least squares over the sweep's runs; slope = cost of one more client):";

/** The sweep's growth block as terminal lines: heading, slope lines, projection table, its note; none without fits. */
export function growthLines(slopes: SeriesSlopes[], table: (rows: string[][]) => string): string[] {
  if (slopes.length === 0) return [];
  return [
    GROWTH_HEADING,
    ...slopeLines(slopes),
    "",
    ...table(projectionTable(project(slopes), slopes[0]!.rate)).split("\n"),
    PROJECTION_NOTE,
  ];
}
