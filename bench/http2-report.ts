/**
 * bench --http2's own lines, printed under the table: HTTP/1.1 beside HTTP/2 over TLS, per mode, every figure from
 * the runs (the server's TCP sockets) or the probe (tls-probe.ts), and HPACK's model beside them, labelled as one.
 */
import { formatBytes } from "../shared/format-bytes.ts";
import type { RunSummary } from "./aggregate.ts";
import { CHANGING_HEADERS, hpackSteadyState, type Exchange } from "./tls-probe.ts";

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

/**
 * The message rate at which one socket's frames cost as many bytes as one poller's empty polls over `poller`'s
 * protocol: idle poll bytes per second per client ÷ socket bytes per message per client.
 */
export function breakEvenRate(poller: RunSummary, socket: RunSummary): number {
  const pollBytesPerSecond = poller.idleBytesPerSecond / poller.clients;
  return pollBytesPerSecond / socket.perMessage.bytes;
}

export function http2Lines(summaries: RunSummary[]): string[] {
  const tls = summaries.filter((s) => s.tls);
  if (tls.length === 0) return [];
  const lines = [
    "Over TLS (--http2): bytes are the server's TCP sockets' (TLS records included); in/out = request/response.",
    "mode                      idle poll B   first poll B   2nd poll B   steady B   TLS B/record   CPU µs/req   requests  empty  mean ms",
  ];
  for (const s of tls) {
    const g = s.groups[0]!;
    const probe = s.tls!.probe.tls;
    const polls = s.idle.requests > 0;
    const probed = g.mode !== "socket"; // a socket run's probe is of a poll, not of its own traffic
    const idle = idlePoll(s);
    const perRecord = tlsPerRecord(s);
    lines.push(
      [
        s.label.padEnd(25),
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
  for (const s of tls.filter((t) => t.tls!.protocol === "h2" && t.idle.requests > 0 && t.groups[0]!.where === "node")) {
    const model = hpackSteadyState(s.tls!.probe);
    const idle = idlePoll(s);
    const h1 = tls.find(
      (t) => t.tls!.protocol === "h1" && t.groups[0]!.mode === s.groups[0]!.mode && t.groups[0]!.where === "node",
    );
    const steady = s.tls!.probe.tls.steady;
    lines.push(
      `${s.label}: HPACK model (RFC 7541: a repeated header 1 B; ${CHANGING_HEADERS.join(", ")} literal, 2 B + value, ` +
        `no Huffman; 9-B frame headers; one 22-B TLS 1.3 record each way) ${pair(model)} B vs measured ${pair(steady)} B ` +
        `(back-to-back polls, one Date) and ${pair(idle)} B idle at T=${s.interval} ms` +
        (h1
          ? `; HTTP/1.1 over TLS idle ${pair(idlePoll(h1))} B: ${((idlePoll(h1).in + idlePoll(h1).out) / (idle.in + idle.out)).toFixed(1)}× more`
          : ""),
    );
    lines.push(
      `${s.label}: a Date that changed since the last poll costs ${b(idle.out - steady.out)} B per answer ` +
        `(${(((idle.out - steady.out) / idle.out) * 100).toFixed(0)} % of it): idle answer ${b(idle.out)} B vs ${b(steady.out)} B back to back`,
    );
  }
  const socket = tls.find((t) => t.groups[0]!.mode === "socket" && t.groups[0]!.where === "node");
  const pollerH2 = tls.find(
    (t) => t.tls!.protocol === "h2" && t.groups[0]!.mode === "polling" && t.groups[0]!.where === "node",
  );
  if (socket && pollerH2 && Number.isFinite(socket.perMessage.bytes)) {
    lines.push(
      `Break-even: one poller over h2 at T=${pollerH2.interval} ms costs ${formatBytes(pollerH2.idleBytesPerSecond / pollerH2.clients)}/s idle; ` +
        `a socket over wss ${b(socket.perMessage.bytes)} B per message: the same bytes at ${breakEvenRate(pollerH2, socket).toFixed(1)} messages/s.`,
    );
  }
  return lines;
}
