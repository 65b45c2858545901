import { cpus } from "node:os";
import { formatBytes } from "../shared/format-bytes.ts";
import { groupLabel, round, type RunSummary } from "./aggregate.ts";
import type { MachineProbe, RoundTrips, Spread } from "./machine-probe.ts";

const ms = (value: number) => (!Number.isFinite(value) ? "–" : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));
const ratio = (value: number | null) => (value === null ? "=0" : `${value.toFixed(2)}`);

/** One row per client group: the comparison table (rows = modes, like autocannon's stat table). */
export function tableRows(summaries: RunSummary[]): string[][] {
  const header = [
    "mode", "clients", "T ms", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "model mean", "lost", "dup", "errors",
    "requests", "empty", "upgrades", "bytes in", "bytes out", "B/msg", "req/msg", "srv CPU ms", "cli CPU ms", "srv RSS",
  ];
  const rows = [header];
  for (const s of summaries) {
    for (const g of s.groups) {
      const latencyCheck = g.model.find((c) => c.what.startsWith("latency"));
      rows.push([
        groupLabel(g, s.server),
        String(g.clients),
        String(s.interval),
        ms(g.latency.p50),
        ms(g.latency.p90),
        ms(g.latency.p99),
        ms(g.latency.max),
        ms(g.latency.mean),
        latencyCheck ? `${ms(latencyCheck.predicted)} (${ratio(latencyCheck.ratio)}${latencyCheck.ok ? "" : " !"})` : "–",
        String(g.lost),
        String(g.duplicated),
        String(g.clientErrors + g.reconnects),
        String(s.publish.requests),
        String(s.publish.emptyResponses),
        String(s.totals.serverUpgrades),
        formatBytes(s.publish.bytesIn),
        formatBytes(s.publish.bytesOut),
        formatBytes(s.perMessage.bytes),
        round(s.perMessage.requests, 2).toString(),
        ms(s.publish.serverCpuMs),
        ms(s.clientCpuMs),
        formatBytes(s.serverPeakRssBytes),
      ]);
    }
  }
  return rows;
}

export const FLOOR_NOTE = "floor server (node:http + ws: no Hono, none of our request handling): what this machine gives";

/** Lines under the table: the model checks, broadcast timing and anything that went wrong, run by run. */
export function notes(summaries: RunSummary[]): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const head = `${s.label}, ${s.clients} clients${s.instances > 1 ? ` on ${s.instances} instances` : ""}, T=${s.interval} ms:`;
    const parts = [
      ...(s.server === "floor" ? [FLOOR_NOTE] : []),
      `RTT ${ms(s.calibration.rttMs)} ms`,
      `empty poll ${s.calibration.requestBytes} B request + ${s.calibration.emptyResponseBytes} B response (node)`,
    ];
    if (s.calibration.browserRequestBytes !== undefined) parts.push(`browser request ${Math.round(s.calibration.browserRequestBytes)} B`);
    for (const c of s.model) parts.push(`${c.what} ${round(c.measured)} / predicted ${round(c.predicted)} = ${ratio(c.ratio)}${c.ok ? "" : " (outside ±10 %)"}`);
    if (s.broadcast && s.broadcast.sockets > 0) {
      const b = s.broadcast;
      parts.push(`broadcast to ${b.sockets} sockets p50 ${ms(b.p50Ms)} ms (CPU ${ms(b.cpuP50Ms)} ms), max ${ms(b.maxMs)} ms`);
    }
    if (s.handoff && s.handoff.count > 0) parts.push(`POST sent → server hands it to transports p50 ${ms(s.handoff.p50)} ms, p99 ${ms(s.handoff.p99)} ms`);
    if (s.broker) {
      const how = s.instances > 1 ? `through Redis to ${s.instances} instances` : "in one process";
      parts.push(`broker ${how}: publish → transports p50 ${ms(s.broker.p50)} ms, p99 ${ms(s.broker.p99)} ms, max ${ms(s.broker.max)} ms`);
    }
    parts.push(`idle ${round(s.idle.ms / 1000)} s: ${formatBytes(s.idle.bytesIn + s.idle.bytesOut)}, ${s.idle.requests} requests`);
    // The bench's own server and clients account for up to 2 of the load; beyond cores + 1, other work was running too.
    const busy = s.loadAverage > cpus().length + 1;
    parts.push(`load average ${s.loadAverage.toFixed(1)} on ${cpus().length} cores (the bench's own 2 processes included${busy ? "; other work shared the CPUs: timings are inflated" : ""})`);
    lines.push(`${head} ${parts.join("; ")}`);
    for (const problem of s.problems) lines.push(`  ! ${problem}`);
  }
  return lines;
}

/** What `--machine` found (machine-probe.ts): the machine, then one line a measurement. */
export function machineProbeLines(probe: MachineProbe): string[] {
  const m = probe.machine;
  const spread = (s: Spread) => `p50 ${ms(s.p50)} ms, p90 ${ms(s.p90)} ms`;
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
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const rule = widths.map((w) => "─".repeat(w)).join("──");
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function printSummaries(summaries: RunSummary[], write: (text: string) => void = console.log): void {
  write(formatTable(tableRows(summaries)));
  write("");
  for (const line of notes(summaries)) write(line);
}
