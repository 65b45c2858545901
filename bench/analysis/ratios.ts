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

type Targets = Record<Rival, Partial<Record<Figure, { max: number; fromClients: number }>>>;

/** The issue's targets (ours / theirs at most this), and the fewest clients at which each is judged. */
const TARGETS: Targets = {
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

/** Polling has one twin, the floor, and one target: its CPU per message is the transport's, not our server's. */
const POLLING_TARGETS: Targets = { floor: { cpu: { max: 1.1, fromClients: 100 } }, socketio: {}, deno: {} };

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

const POLLING: ModeName = "polling";

/** Our simulated run of one mode that has twins (the socket: floor and rivals; polling: the floor), or undefined. */
const ourTwinnedMode = (s: RunSummary): ModeName | undefined => {
  const mode = s.groups[0]?.mode;
  const ours = s.server === "app" && s.instances === 1 && s.groups.length === 1 && s.groups[0]!.where === "node";
  return ours && (mode === OUR_SOCKET || mode === POLLING) ? mode : undefined;
};
/** The mode a twin runs for each of our modes: Socket.IO runs its own client. */
const rivalMode = (ours: ModeName, against: Rival): ModeName => (against === "socketio" ? SOCKETIO : ours);

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
  if (cell.figure === "cpu" && ours.groups[0]!.mode === POLLING) {
    return `${head}: every poll's handling is ours (node:http → Hono, the guards, the counting, the ETag) against node:http alone`;
  }
  if (cell.figure === "cpu") {
    const cpu = (s: RunSummary) => s.broadcast?.cpuP50Ms ?? NaN;
    return `${head}: broadcast CPU p50 ${f(cpu(ours))} vs ${f(cpu(theirs))} ms (the hub's loop); the rest is the POST's handling (ours: Hono, routes, validation, the store)`;
  }
  return `${head}: ${pathParts(ours, theirs, against, cell.figure === "p99" ? "p99" : "p50")}`;
}

const RIVAL_NAMES: Record<Rival, string> = { floor: "floor", socketio: "Socket.IO", deno: "Deno" };

/**
 * Every pairing in one run's summaries: each of our simulated WebSocket runs with the floor's and the rivals' twins,
 * each polling run with the floor's.
 */
export function ratioRows(summaries: RunSummary[]): RatioRow[] {
  const rows: RatioRow[] = [];
  summaries.forEach((ours, i) => {
    const mode = ourTwinnedMode(ours);
    if (!mode) return;
    const targets = mode === POLLING ? POLLING_TARGETS : TARGETS;
    for (const against of (mode === POLLING ? ["floor"] : ["floor", "socketio", "deno"]) as Rival[]) {
      // The twin runs right after ours (cli.ts plan): the first later run of the same size on that server.
      const theirs = summaries
        .slice(i + 1)
        .find(
          (s) =>
            s.server === against &&
            s.groups[0]?.mode === rivalMode(mode, against) &&
            s.clients === ours.clients &&
            s.interval === ours.interval,
        );
      if (!theirs) continue;
      const cells = FIGURE_ORDER.map((figure): RatioCell => {
        // A poll's run broadcasts to no socket: its broadcast time is no figure of polling's.
        const none = mode === POLLING && figure === "broadcast";
        const o = none ? NaN : FIGURES[figure].read(ours);
        const t = none ? NaN : FIGURES[figure].read(theirs);
        const ratio = o / t;
        const target = targets[against][figure];
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

/** A table of pairings: a row per (our run, rival), a column per figure, each cell as `text` words it. */
function pairingTable<C>(
  rows: { ours: string; clients: number; against: Rival; cells: C[] }[],
  text: (cell: C) => string,
): string[][] {
  const header = ["ours / theirs", ...FIGURE_ORDER.map((figure) => FIGURES[figure].label)];
  return [
    header,
    ...rows.map((row) => [`${row.ours} ×${row.clients} / ${RIVAL_NAMES[row.against]}`, ...row.cells.map(text)]),
  ];
}

/** The ratio table: a row per (our run, rival), a column per figure. */
export const ratioTable = (rows: RatioRow[]): string[][] => pairingTable(rows, cellText);

/** What the ratio table's verdicts mean (printed under it). */
export const RATIO_LEGEND =
  "ratio = our figure / theirs in the same run (below 1: ours is faster, cheaper or smaller); " +
  "targets: socket vs floor p50 ≤ 1.10, p99 ≤ 1.25, broadcast ≤ 1.10; vs Socket.IO p50, p99, CPU/msg, B/msg ≤ 0.8; " +
  "polling vs floor CPU/msg ≤ 1.10; " +
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

/** One figure of one pairing over several interleaved runs (`--runs N`): the spread of its ratio. */
export interface SpreadCell {
  figure: Figure;
  median: number;
  min: number;
  max: number;
  /** Runs with a ratio for this figure. */
  runs: number;
  target?: number;
  /** How many of those runs met the target (when there is one). */
  met?: number;
  judged: boolean;
}

export interface SpreadRow {
  ours: string;
  clients: number;
  interval: number;
  against: Rival;
  cells: SpreadCell[];
}

const median = (sorted: number[]) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The same pairing measured in several runs (the plan repeated, each pass ours then the twins: interleaved, so
 * other work on the machine weighs on both): each ratio's median, least and greatest, and how many runs met its
 * target. None for a pairing measured once.
 */
export function ratioSpread(rows: RatioRow[]): SpreadRow[] {
  const pairings = new Map<string, RatioRow[]>();
  for (const row of rows) {
    const key = `${row.ours} ${row.clients} ${row.interval} ${row.against}`;
    pairings.set(key, [...(pairings.get(key) ?? []), row]);
  }
  return [...pairings.values()]
    .filter((runs) => runs.length > 1)
    .map((runs) => ({
      ...{ ours: runs[0]!.ours, clients: runs[0]!.clients, interval: runs[0]!.interval, against: runs[0]!.against },
      cells: FIGURE_ORDER.map((figure, k): SpreadCell => {
        const cells = runs.map((run) => run.cells[k]!).filter((cell) => Number.isFinite(cell.ratio));
        const ratios = cells.map((cell) => cell.ratio).sort((a, b) => a - b);
        const { target, judged = false } = cells.find((cell) => cell.target !== undefined) ?? {};
        return {
          figure,
          median: ratios.length ? median(ratios) : NaN,
          min: ratios[0] ?? NaN,
          max: ratios.at(-1) ?? NaN,
          runs: ratios.length,
          ...(target === undefined ? {} : { target, met: cells.filter((cell) => cell.met).length }),
          judged,
        };
      }),
    }));
}

/** A spread cell: the median ratio, (least–greatest), and the runs that met the target, e.g. `1.05 (0.98–1.12) 4/5`. */
function spreadText(cell: SpreadCell): string {
  if (cell.runs === 0) return "–";
  const spread = `${cell.median.toFixed(2)} (${cell.min.toFixed(2)}–${cell.max.toFixed(2)})`;
  if (cell.met === undefined) return spread;
  const verdict = cell.met * 2 > cell.runs ? "ok" : "MISS";
  return `${spread} ${cell.met}/${cell.runs} ${cell.judged ? verdict : `(${verdict})`}`;
}

/** The spread table: as the ratio table, each cell the spread over the runs. */
export const spreadTable = (rows: SpreadRow[]): string[][] => pairingTable(rows, spreadText);

export const SPREAD_LEGEND =
  "median ratio (least–greatest) over the interleaved runs, then how many runs met the target: ok when a majority " +
  "did (the issue's bar), judged as in the table of each run above";

export const spreadHeading = (rows: SpreadRow[]) =>
  `Ours / theirs over ${Math.max(...rows.flatMap((row) => row.cells.map((cell) => cell.runs)))} interleaved runs (--runs):`;

/** The spread block as terminal lines; none when every pairing ran once. */
export function spreadLines(rows: SpreadRow[], table: (rows: string[][]) => string): string[] {
  if (rows.length === 0) return [];
  return [spreadHeading(rows), ...table(spreadTable(rows)).split("\n"), SPREAD_LEGEND];
}
