/**
 * Ours against theirs, measured side by side in one run: every WebSocket figure of our server as a ratio to the
 * same figure on the floor server (--floor, what this machine gives), on Socket.IO and on our app under Deno
 * (--rivals). Ratios travel between machines; absolute times do not. The targets are judged here, and a miss says
 * which part of the path is ours (the same breakdown the notes print: POST sent → the server hands it on; the
 * broadcast loop; the rest).
 */
import { groupLabel, type RunSummary } from "./aggregate.ts";
import type { ModeName, ServerKind } from "../core/records.ts";

export type Rival = Extract<ServerKind, "floor" | "socketio" | "deno">;

/** The figures compared, with how to read each from a run. */
const FIGURES = {
  p50: { label: "p50", unit: "ms", read: (s: RunSummary) => s.groups[0]!.latency.p50 },
  p99: { label: "p99", unit: "ms", read: (s: RunSummary) => s.groups[0]!.latency.p99 },
  broadcast: { label: "broadcast", unit: "ms", read: (s: RunSummary) => s.broadcast?.p50Ms ?? NaN },
  cpu: { label: "CPU/msg", unit: "µs", read: (s: RunSummary) => s.perMessage.serverCpuMicros },
  bytes: { label: "B/msg", unit: "B", read: (s: RunSummary) => s.perMessage.bytes },
} as const;

export type Figure = keyof typeof FIGURES;
const FIGURE_ORDER: Figure[] = ["p50", "p99", "broadcast", "cpu", "bytes"];

/** The issue's targets (ours / theirs at most this), and the fewest clients at which each is judged. */
const TARGETS: Record<Rival, Partial<Record<Figure, { max: number; fromClients: number }>>> = {
  floor: {
    p50: { max: 1.1, fromClients: 100 },
    p99: { max: 1.25, fromClients: 100 },
    broadcast: { max: 1.1, fromClients: 1000 },
  },
  socketio: {
    p50: { max: 0.8, fromClients: 100 },
    p99: { max: 0.8, fromClients: 100 },
    cpu: { max: 0.8, fromClients: 100 },
    bytes: { max: 0.8, fromClients: 100 },
  },
  // No target: the same app and clients on another runtime, to show what the runtime changes.
  deno: {},
};

export interface RatioCell {
  figure: Figure;
  ours: number;
  theirs: number;
  /** ours / theirs (NaN when either is missing). */
  ratio: number;
  target?: number;
  /** Met or missed; undefined when there is no target for this figure. */
  met?: boolean;
  /** False when the run has fewer clients than the target is set for: the verdict is only indicative. */
  judged: boolean;
}

export interface RatioRow {
  /** Our run's label and size. */
  ours: string;
  clients: number;
  interval: number;
  against: Rival;
  theirs: string;
  cells: RatioCell[];
  /** For each missed target, which part of the path is ours (the breakdown lines). */
  misses: string[];
}

/** Our WebSocket clients' mode, and the Socket.IO rival's (clients/modes.ts, clients/socketio-mode.ts). */
const OUR_SOCKET: ModeName = "socket";
const SOCKETIO: ModeName = "socket.io";

const isOurSocketRun = (s: RunSummary) =>
  s.server === "app" &&
  s.instances === 1 &&
  s.groups.length === 1 &&
  s.groups[0]!.mode === OUR_SOCKET &&
  s.groups[0]!.where === "node";
const rivalMode: Record<Rival, ModeName> = {
  floor: OUR_SOCKET,
  socketio: SOCKETIO,
  deno: OUR_SOCKET,
};

const f = (n: number) => (!Number.isFinite(n) ? "–" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

/** Where the time of a missed latency or broadcast target goes, ours against theirs: the notes' breakdown. */
function pathParts(ours: RunSummary, theirs: RunSummary, against: Rival, pct: "p50" | "p99"): string {
  const handoff = (s: RunSummary) => s.handoff?.[pct] ?? NaN;
  const broadcast = (s: RunSummary) => s.broadcast?.p50Ms ?? NaN;
  const rest = (s: RunSummary) => s.groups[0]!.latency[pct] - handoff(s) - broadcast(s);
  const part = (what: string, read: (s: RunSummary) => number, whose: string) =>
    `${what} ${f(read(ours))} vs ${f(read(theirs))} ms (${whose})`;
  const clients = against === "floor" ? "the same client module on both" : "each side's own client";
  return [
    part(`POST sent → server hands it on ${pct}`, handoff, "ours: Hono, routes, validation, the store"),
    part("broadcast loop p50", broadcast, "ours: the hub's loop over its sockets"),
    part(`the rest of ${pct}`, rest, `the wire and ${clients}`),
  ].join("; ");
}

function missLine(cell: RatioCell, ours: RunSummary, theirs: RunSummary, against: Rival): string {
  const target = FIGURES[cell.figure].label;
  const head = `${target} ${cell.ratio.toFixed(2)}× ${RIVAL_NAMES[against]} (target ≤ ${cell.target}×${cell.judged ? "" : "; indicative at this size"})`;
  if (cell.figure === "bytes") {
    return `${head}: the frame is ours: header + the message's JSON (${f(cell.ours)} vs ${f(cell.theirs)} B a delivery)`;
  }
  if (cell.figure === "broadcast") {
    const cpu = (s: RunSummary) => s.broadcast?.cpuP50Ms ?? NaN;
    return `${head}: the loop is ours (the hub's send to each socket): CPU p50 ${f(cpu(ours))} vs ${f(cpu(theirs))} ms of the ${f(cell.ours)} vs ${f(cell.theirs)} ms it took`;
  }
  if (cell.figure === "cpu") {
    const cpu = (s: RunSummary) => s.broadcast?.cpuP50Ms ?? NaN;
    return `${head}: broadcast CPU p50 ${f(cpu(ours))} vs ${f(cpu(theirs))} ms (the hub's loop); the rest is the POST's handling (ours: Hono, routes, validation, the store)`;
  }
  return `${head}: ${pathParts(ours, theirs, against, cell.figure === "p99" ? "p99" : "p50")}`;
}

const RIVAL_NAMES: Record<Rival, string> = { floor: "floor", socketio: "Socket.IO", deno: "Deno" };

/** Every pairing in one run's summaries: each of our simulated WebSocket runs with the floor's and the rival's twin. */
export function ratioRows(summaries: RunSummary[]): RatioRow[] {
  const rows: RatioRow[] = [];
  summaries.forEach((ours, i) => {
    if (!isOurSocketRun(ours)) return;
    for (const against of ["floor", "socketio", "deno"] as Rival[]) {
      // The twin runs right after ours (cli.ts plan): the first later run of the same size on that server.
      const theirs = summaries
        .slice(i + 1)
        .find(
          (s) =>
            s.server === against &&
            s.groups[0]?.mode === rivalMode[against] &&
            s.clients === ours.clients &&
            s.interval === ours.interval,
        );
      if (!theirs) continue;
      const cells = FIGURE_ORDER.map((figure): RatioCell => {
        const o = FIGURES[figure].read(ours);
        const t = FIGURES[figure].read(theirs);
        const ratio = o / t;
        const target = TARGETS[against][figure];
        if (!target || !Number.isFinite(ratio)) return { figure, ours: o, theirs: t, ratio, judged: false };
        return {
          figure,
          ours: o,
          theirs: t,
          ratio,
          target: target.max,
          met: ratio <= target.max + 1e-9,
          judged: ours.clients >= target.fromClients,
        };
      });
      const misses = cells.filter((c) => c.met === false).map((c) => missLine(c, ours, theirs, against));
      rows.push({
        ours: groupLabel(ours.groups[0]!),
        clients: ours.clients,
        interval: ours.interval,
        against,
        theirs: theirs.label,
        cells,
        misses,
      });
    }
  });
  return rows;
}

/** A cell as the tables show it: the ratio, and the verdict when there is a target (in brackets when indicative). */
function cellText(cell: RatioCell): string {
  if (!Number.isFinite(cell.ratio)) return "–";
  if (cell.met === undefined) return cell.ratio.toFixed(2);
  const verdict = cell.met ? "ok" : "MISS";
  return `${cell.ratio.toFixed(2)} ${cell.judged ? verdict : `(${verdict})`}`;
}

/** The ratio table: a row per (our run, rival), a column per figure. */
export function ratioTable(rows: RatioRow[]): string[][] {
  const header = ["ours / theirs", ...FIGURE_ORDER.map((figure) => FIGURES[figure].label)];
  return [
    header,
    ...rows.map((row) => [`${row.ours} ×${row.clients} / ${RIVAL_NAMES[row.against]}`, ...row.cells.map(cellText)]),
  ];
}

/** What the ratio table's verdicts mean (printed under it). */
export const RATIO_LEGEND =
  "ratio = our figure / theirs in the same run (below 1: ours is faster, cheaper or smaller); " +
  "targets: vs floor p50 ≤ 1.10, p99 ≤ 1.25, broadcast ≤ 1.10; vs Socket.IO p50, p99, CPU/msg, B/msg ≤ 0.8; " +
  "vs Deno none (the same app on another runtime; – : Deno counts no bytes); " +
  "ok / MISS judged at 100+ clients (broadcast at 1000+); a verdict in brackets is indicative only";

/** The lines under a ratio table: where each missed target's cost is ours. */
export const missLines = (rows: RatioRow[]) =>
  rows.flatMap((row) => row.misses.map((miss) => `${row.ours} ×${row.clients}: ${miss}`));

export const RATIO_HEADING = "Ours / theirs, measured side by side in this run:";

/** The ratio block as terminal lines: heading, table, legend, misses; none without twins. */
export function ratioLines(rows: RatioRow[], table: (rows: string[][]) => string): string[] {
  if (rows.length === 0) return [];
  return [
    RATIO_HEADING,
    ...table(ratioTable(rows)).split("\n"),
    RATIO_LEGEND,
    ...missLines(rows).map((line) => `! ${line}`),
  ];
}
