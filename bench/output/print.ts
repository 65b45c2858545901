import { cpus } from "node:os";
import { formatBytes } from "../../shared/format-bytes.ts";
import { groupLabel, round, type GroupSummary, type RunSummary } from "../analysis/aggregate.ts";
import { growthLines } from "../analysis/projection.ts";
import { ratioLines, ratioRows, ratioSpread, spreadLines } from "../analysis/ratios.ts";
import { RIVAL_NOTES } from "../scenarios/rivals.ts";
import { sweepSlopes } from "../analysis/slopes.ts";
import type { MachineProbe, RoundTrips, Spread } from "../core/records.ts";

/** A figure to about three significant digits: 0.82, 49.3, 501; "–" for none. */
const figure = (value: number) =>
  !Number.isFinite(value) ? "–" : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
const ratio = (value: number | null) => (value === null ? "=0" : `${value.toFixed(2)}`);

/** A table column: its header (units in it) and its figure for one client group of one run. */
interface Column {
  header: string;
  cell: (s: RunSummary, g: GroupSummary) => string;
  /** Shown in the terminal's default view too (fits 100 columns); the others only with --wide and in the reports. */
  brief?: true;
}

const COLUMNS: Column[] = [
  { header: "mode", cell: (s, g) => groupLabel(g, s.server, s.tls?.protocol), brief: true },
  { header: "clients", cell: (_, g) => String(g.clients), brief: true },
  // T tells apart a sweep's rows; it is the run's option, so a mode that does not poll shows it too.
  { header: "T ms", cell: (s) => String(s.interval), brief: true },
  { header: "p50 ms", cell: (_, g) => figure(g.latency.p50), brief: true },
  { header: "p90 ms", cell: (_, g) => figure(g.latency.p90) },
  { header: "p99 ms", cell: (_, g) => figure(g.latency.p99), brief: true },
  { header: "max ms", cell: (_, g) => figure(g.latency.max) },
  // Browser tabs: to a frame drawn with the message, beside p50 (to its DOM insertion); the notes say it too.
  { header: "paint p50 ms", cell: (_, g) => (g.paint ? figure(g.paint.p50) : "–") },
  { header: "mean ms", cell: (_, g) => figure(g.latency.mean) },
  { header: "model mean", cell: (_, g) => modelMean(g) },
  { header: "lost", cell: (_, g) => String(g.lost), brief: true },
  { header: "dup", cell: (_, g) => String(g.duplicated) },
  { header: "errors", cell: (_, g) => String(g.clientErrors + g.reconnects) },
  { header: "requests", cell: (s) => String(s.publish.requests), brief: true },
  { header: "empty", cell: (s) => String(s.publish.emptyResponses) },
  { header: "upgrades", cell: (s) => String(s.totals.serverUpgrades) },
  { header: "bytes in", cell: (s) => formatBytes(s.publish.bytesIn) },
  { header: "bytes out", cell: (s) => formatBytes(s.publish.bytesOut) },
  { header: "B/msg", cell: (s) => formatBytes(s.perMessage.bytes), brief: true },
  { header: "req/msg", cell: (s) => round(s.perMessage.requests, 2).toString() },
  { header: "idle B/s", cell: (s) => formatBytes(s.idleBytesPerSecond), brief: true },
  { header: "CPU µs/msg", cell: (s) => figure(s.perMessage.serverCpuMicros), brief: true },
  // Not in the default view (100 columns are full): the notes say it for every run.
  { header: "idle CPU ms/s", cell: (s) => figure(s.idleCpuMsPerSecond) },
  { header: "srv CPU ms", cell: (s) => figure(s.publish.serverCpuMs) },
  { header: "cli CPU ms", cell: (s) => figure(s.clientCpuMs) },
  { header: "srv RSS", cell: (s) => formatBytes(s.serverPeakRssBytes) },
];

/** What the default view's short headers mean, for a class reading them (printed under the table). */
const BRIEF_LEGEND =
  "p50 / p99 ms: half / 99 % of deliveries took at most this (POST sent → the client has it); " +
  "lost: deliveries that never came; requests: HTTP requests answered while publishing; " +
  "B/msg: bytes on the wire (both ways, headers included) per message delivered to one client; " +
  "idle B/s: the same per second while nothing is published; " +
  "CPU µs/msg: server CPU per message delivered to one client; " +
  "--wide: every column";

function modelMean(g: GroupSummary): string {
  const c = g.model.find((check) => check.what.startsWith("latency"));
  return c ? `${figure(c.predicted)} (${ratio(c.ratio)}${c.ok ? "" : " !"})` : "–";
}

/**
 * One row per client group: the comparison table (rows = modes, like autocannon's stat table). "wide" has every
 * column (--wide, the Markdown and HTML reports); "brief" the few a terminal of 100 columns shows.
 */
export function tableRows(summaries: RunSummary[], view: "wide" | "brief" = "wide"): string[][] {
  const columns = view === "wide" ? COLUMNS : COLUMNS.filter((c) => c.brief);
  const rows = summaries.flatMap((s) => s.groups.map((g) => columns.map((c) => c.cell(s, g))));
  return [columns.map((c) => c.header), ...rows];
}

const FLOOR_NOTE = "floor server (node:http + ws: no Hono, none of our request handling): what this machine gives";

/** Lines under the table: the model checks, broadcast timing and anything that went wrong, run by run. */
export function notes(summaries: RunSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const head = `${s.label}, ${s.clients} clients${s.instances > 1 ? ` on ${s.instances} instances` : ""}, T=${s.interval} ms:`;
    const parts = [
      ...(s.server === "floor" ? [FLOOR_NOTE] : []),
      ...(s.server === "socketio" || s.server === "deno" ? [RIVAL_NOTES[s.server]] : []),
      `RTT ${figure(s.calibration.rttMs)} ms`,
      `empty poll ${formatBytes(s.calibration.requestBytes)} request + ${formatBytes(s.calibration.emptyResponseBytes)} response (node)`,
    ];
    if (s.calibration.browserRequestBytes !== undefined)
      parts.push(`browser request ${Math.round(s.calibration.browserRequestBytes)} B`);
    for (const c of s.model)
      parts.push(
        `${c.what} ${round(c.measured)} / predicted ${round(c.predicted)} = ${ratio(c.ratio)}${c.ok ? "" : " (outside ±10 %)"}`,
      );
    if (s.broadcast && s.broadcast.sockets > 0) {
      const b = s.broadcast;
      const cpu = `CPU ${figure(b.cpuP50Ms)} ms`;
      parts.push(`broadcast to ${b.sockets} sockets p50 ${figure(b.p50Ms)} ms (${cpu}), max ${figure(b.maxMs)} ms`);
    }
    for (const g of s.groups.filter((group) => group.workers))
      parts.push(`${groupLabel(g)}: clients in ${g.workers} worker processes`);
    for (const g of s.groups.filter((group) => group.paint)) {
      const [paint, insert] = [g.paint!, g.latency];
      parts.push(
        `${groupLabel(g)}: to a frame drawn p50 ${figure(paint.p50)} ms, p99 ${figure(paint.p99)} ms (to the DOM insertion p50 ${figure(insert.p50)} ms, p99 ${figure(insert.p99)} ms)`,
      );
    }
    if (s.handoff && s.handoff.count > 0) {
      parts.push(
        `POST sent → server hands it to transports p50 ${figure(s.handoff.p50)} ms, p99 ${figure(s.handoff.p99)} ms`,
      );
    }
    if (s.broker) {
      const how = s.instances > 1 ? `through Redis to ${s.instances} instances` : "in one process";
      const { p50, p99, max } = s.broker;
      parts.push(
        `broker ${how}: publish → transports p50 ${figure(p50)} ms, p99 ${figure(p99)} ms, max ${figure(max)} ms`,
      );
    }
    parts.push(
      `idle ${round(s.idle.ms / 1000)} s: ${formatBytes(s.idle.bytesIn + s.idle.bytesOut)}, ${s.idle.requests} requests, server CPU ${figure(s.idleCpuMsPerSecond)} ms/s`,
    );
    // The bench's own server and clients account for up to 2 of the load; beyond cores + 1, other work was running too.
    const busy = s.loadAverage > cpus().length + 1;
    parts.push(
      `load average ${s.loadAverage.toFixed(1)} on ${cpus().length} cores (the bench's own 2 processes included${busy ? "; other work shared the CPUs: timings are inflated" : ""})`,
    );
    lines.push(`${head} ${parts.join("; ")}`);
    for (const problem of s.problems) lines.push(`  ! ${problem}`);
  }
  return lines;
}

/** What `--machine` found (machine-probe.ts): the machine, then one line a measurement. */
export function machineProbeLines(probe: MachineProbe): string[] {
  const m = probe.machine;
  const spread = (s: Spread) => `p50 ${figure(s.p50)} ms, p90 ${figure(s.p90)} ms`;
  const trips = (t: RoundTrips) =>
    `back to back ${spread(t.backToBack)}; ${probe.gapMs} ms apart ${spread(t.spaced)} (${t.backToBack.count} + ${t.spaced.count})`;
  const b = probe.broadcast;
  return [
    `${m.cpus} × ${m.cpuModel}, kernel ${m.kernel}, node ${m.node}, load average ${m.loadAverage.map((l) => l.toFixed(2)).join(" ")} at start` +
      `, cpuidle driver ${m.cpuidleDriver ?? "unknown"}${m.haltPoll ? `, ${m.haltPoll}` : ""}`,
    `keep-alive HTTP round trip (GET → 200, another process): ${trips(probe.http)}`,
    `ws echo round trip (one-byte text frame): ${trips(probe.websocket)}`,
    `one frame written to ${b.sockets} WebSockets' TCP connections: loop ${spread(b.loop)} (${b.microsPerSocket.toFixed(1)} µs a socket); ` +
      `loop start → first client has it ${spread(b.firstReceipt)}, → last ${spread(b.lastReceipt)}, → each client ${spread(b.eachReceipt)} (${b.loop.count} broadcasts ${probe.gapMs} ms apart, clients in one Node process)`,
  ];
}

/** Pads columns; numbers right-aligned. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("──");
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

/**
 * Wraps a note to `width`: breaks after "; " (between a note's parts) where it can, between words inside a part only
 * when the part is longer than a line. Continuation lines are indented two spaces past the line's own indent.
 */
export function wrap(line: string, width: number): string[] {
  const own = line.length - line.trimStart().length;
  const indent = " ".repeat(own + 2);
  const room = Math.max(width, indent.length + 10);
  const tokens = line
    .trimStart()
    .split(/(?<=;) /)
    .flatMap((part) => (indent.length + part.length <= room ? [part] : part.split(" ")));
  const lines: string[] = [];
  let current = line.slice(0, own);
  let empty = true;
  for (const token of tokens) {
    if (!empty && current.length + 1 + token.length > room) {
      lines.push(current);
      current = indent;
      empty = true;
    }
    current += (empty ? "" : " ") + token;
    empty = false;
    // A word longer than a whole line (a long path) is cut rather than left sticking out.
    while (current.length > room) {
      lines.push(current.slice(0, room));
      current = indent + current.slice(room);
    }
  }
  lines.push(current);
  return lines;
}

export interface PrintOptions {
  /** Every column (--wide) instead of the few that fit 100 columns. */
  wide?: boolean;
  /** Where the notes wrap: the terminal's width, 100 when stdout is not a terminal. */
  width?: number;
  write?: (text: string) => void;
}

export const terminalWidth = () => process.stdout.columns ?? 100;

export function printSummaries(summaries: RunSummary[], options: PrintOptions = {}): void {
  const { wide = false, width = terminalWidth(), write = console.log } = options;
  write(formatTable(tableRows(summaries, wide ? "wide" : "brief")));
  if (!wide) for (const line of wrap(BRIEF_LEGEND, width)) write(line);
  write("");
  for (const note of notes(summaries)) for (const line of wrap(note, width)) write(line);
  const rows = ratioRows(summaries);
  const ratios = ratioLines(rows, formatTable);
  if (ratios.length > 0) write("");
  for (const text of ratios) for (const line of wrap(text, width)) write(line);
  const spread = spreadLines(ratioSpread(rows), formatTable);
  if (spread.length > 0) write("");
  // Its rows are wider than a terminal: a row cut in two would be unreadable, so only a longer line is wrapped.
  for (const text of spread) for (const line of wrap(text, Math.max(width, 170))) write(line);
  const growth = growthLines(sweepSlopes(summaries), formatTable);
  if (growth.length > 0) write("");
  for (const text of growth) for (const line of wrap(text, width)) write(line);
}
