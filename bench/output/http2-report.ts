/**
 * bench --http2's own lines, printed under the table: HTTP/1.1 beside HTTP/2 over TLS, per mode, every figure from
 * the runs (the server's TCP sockets) or the probe (tls-probe.ts), and HPACK's model beside them, labelled as one.
 */
import { formatBytes } from "../../shared/format-bytes.ts";
import type { RunSummary } from "../analysis/aggregate.ts";
import { CHANGING_HEADERS, hpackSteadyState } from "../probes/tls-probe.ts";
import type { Exchange } from "../core/records.ts";

const b = (value: number) => (Number.isFinite(value) ? `${Math.round(value)}` : "–");
const pair = (e: Exchange) => `${b(e.in)}/${b(e.out)}`;

/** Per poll answered in the idle window: what the server read and wrote (request/response), its CPU per request. */
export function idlePoll(s: RunSummary): Exchange & { cpuMicros: number } {
  const n = s.idle.requests;
  return { in: s.idle.bytesIn / n, out: s.idle.bytesOut / n, cpuMicros: (s.idle.serverCpuMs * 1000) / n };
}

/** TLS's bytes per record, each way: (on the wire − HTTP inside) / records, over the probe's steady polls. */
export function tlsPerRecord(s: RunSummary): Exchange | undefined {
  const probe = s.tls?.probe.tls;
  if (!probe?.records) return undefined;
  const r = probe.records;
  return {
    in: (probe.steady.in - r.plaintextSent) / r.sent,
    out: (probe.steady.out - r.plaintextReceived) / r.received,
  };
}

/** Bytes one more message costs per client, both ways: the publish window's bytes less its idle share, per delivery. */
export function bytesPerMessage(s: RunSummary): number {
  const delivered = s.groups.reduce((sum, g) => sum + g.delivered, 0);
  return (s.publish.bytesIn + s.publish.bytesOut - (s.idleBytesPerSecond * s.publish.ms) / 1000) / delivered;
}

/**
 * The chat's message rate at which a socket costs as many bytes as a poller: the poller pays its idle polls plus a
 * little per message (messages share an answer's headers), the socket only per message (a frame in a TLS record),
 * both measured; linear in the rate: idle / (socket per message − poller per message). Undefined: never.
 */
export function breakEvenRate(poller: RunSummary, socket: RunSummary): number | undefined {
  const extra = bytesPerMessage(socket) - bytesPerMessage(poller);
  return extra > 0 ? poller.idleBytesPerSecond / poller.clients / extra : undefined;
}

export function http2Lines(summaries: RunSummary[]): string[] {
  const tls = summaries.filter((s) => s.tls);
  if (tls.length === 0) return [];
  const lines = [
    "Over TLS (--http2): bytes are the server's TCP sockets' (TLS records included); in/out = request/response.",
    "mode                           idle poll B   first poll B   2nd poll B   steady B   TLS B/record   CPU µs/req   requests  empty  mean ms",
  ];
  for (const s of tls) {
    const g = s.groups[0]!;
    const probe = s.tls!.probe.tls;
    const polls = s.idle.requests > 0;
    // The probe is undici's poll: not a socket's traffic, nor a browser's (whose idle poll is in the first column).
    const probed = g.mode !== "socket" && g.where === "node";
    const idle = idlePoll(s);
    const perRecord = tlsPerRecord(s);
    lines.push(
      [
        s.label.padEnd(30),
        (polls ? pair(idle) : "–").padStart(11),
        (probed ? pair(probe.first) : "–").padStart(14),
        (probed ? pair(probe.second) : "–").padStart(12),
        (probed ? pair(probe.steady) : "–").padStart(10),
        (probed && perRecord ? pair(perRecord) : "–").padStart(14),
        (polls ? b(idle.cpuMicros) : "–").padStart(12),
        String(s.publish.requests).padStart(10),
        String(s.publish.emptyResponses).padStart(6),
        (Number.isFinite(g.latency.mean) ? g.latency.mean.toFixed(0) : "–").padStart(8),
      ].join(" "),
    );
  }
  const find = (mode: string, where: string, protocol: string) =>
    tls.find((t) => t.groups[0]!.mode === mode && t.groups[0]!.where === where && t.tls!.protocol === protocol);
  for (const h2 of tls.filter((t) => t.tls!.protocol === "h2" && t.idle.requests > 0)) {
    const { mode, where } = h2.groups[0]!;
    const h1 = find(mode, where, "h1");
    if (!h1 || h1.idle.requests === 0) continue;
    const [a, z] = [idlePoll(h1), idlePoll(h2)];
    lines.push(
      `${mode}${where === "browser" ? " (browser)" : ""}: an idle poll over h2 costs ${pair(z)} B against ${pair(a)} B ` +
        `over HTTP/1.1: ${((a.in + a.out) / (z.in + z.out)).toFixed(1)}× fewer bytes (requests ${(a.in / z.in).toFixed(1)}×, ` +
        `answers ${(a.out / z.out).toFixed(1)}×); server CPU per request ${(z.cpuMicros / a.cpuMicros).toFixed(2)}× HTTP/1.1's`,
    );
  }
  // The model and the Date's cost, for plain polling: its idle answer is the probe's (200, [])
  const polling = find("polling", "node", "h2");
  if (polling && polling.idle.requests > 0) {
    const model = hpackSteadyState(polling.tls!.probe);
    const idle = idlePoll(polling);
    const steady = polling.tls!.probe.tls.steady;
    lines.push(
      `polling [h2/tls], HPACK steady state, a model (RFC 7541: a repeated header 1 B; ${CHANGING_HEADERS.join(", ")} ` +
        `written out, 2 B + value, no Huffman; 9-B frame headers; one 22-B TLS 1.3 record each way): ${pair(model)} B; ` +
        `measured ${pair(steady)} B back to back (one Date), ${pair(idle)} B idle at T=${polling.interval} ms`,
      `polling [h2/tls]: a Date that changed since the last poll costs ${b(idle.out - steady.out)} B of the ` +
        `${b(idle.out)}-B idle answer (${(((idle.out - steady.out) / idle.out) * 100).toFixed(0)} %)`,
    );
  }
  for (const where of ["node", "browser"]) {
    const socket = find("socket", where, "h2");
    for (const protocol of ["h1", "h2"]) {
      const poller = find("polling", where, protocol);
      if (!socket || !poller || poller.idle.requests === 0) continue;
      const rate = breakEvenRate(poller, socket);
      lines.push(
        `Break-even${where === "browser" ? " (browser)" : ""}, polling [${protocol}/tls] at T=${poller.interval} ms ` +
          `against a socket over wss: the poller ${formatBytes(poller.idleBytesPerSecond / poller.clients)}/s idle + ` +
          `${b(bytesPerMessage(poller))} B per message, the socket ${b(bytesPerMessage(socket))} B per message: ` +
          (rate === undefined
            ? "the socket costs fewer bytes at every rate"
            : `the same bytes at ${rate.toFixed(1)} messages/s`) +
          " (fewer messages: the socket is cheaper; more: the poller, delivering T/2 later on average)",
      );
    }
  }
  return lines;
}
