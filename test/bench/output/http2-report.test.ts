import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../../bench/analysis/aggregate.ts";
import { breakEvenRate, bytesPerMessage, idlePoll, tlsPerRecord } from "../../../bench/output/http2-report.ts";

const summary = (fields: object) => fields as unknown as RunSummary;

describe("bench --http2's figures", () => {
  it("per idle poll: the idle window's bytes and CPU over its requests", () => {
    const s = summary({ idle: { requests: 10, bytesIn: 530, bytesOut: 1190, serverCpuMs: 5 } });
    expect(idlePoll(s)).toEqual({ in: 53, out: 119, cpuMicros: 500 });
  });

  it("TLS per record: wire bytes minus the HTTP inside, over the records", () => {
    const probe = {
      steady: { in: 53, out: 96 },
      records: { sent: 1, received: 2, plaintextSent: 31, plaintextReceived: 52 },
    };
    expect(tlsPerRecord(summary({ tls: { probe: { tls: probe } } }))).toEqual({ in: 22, out: 22 });
    expect(tlsPerRecord(summary({}))).toBeUndefined();
  });

  it("break-even: the poller's idle bytes over what a message costs the socket more than the poller", () => {
    const group = { delivered: 100 };
    // Poller: 1720 B/s idle for 10 clients, 10 s of publishing = 17,200 B of it; the rest, 7,600 B, over 100 deliveries.
    const poller = summary({
      idleBytesPerSecond: 1720,
      clients: 10,
      groups: [group],
      publish: { ms: 10_000, bytesIn: 10_000, bytesOut: 14_800 },
    });
    const socket = summary({
      idleBytesPerSecond: 0,
      clients: 10,
      groups: [group],
      publish: { ms: 10_000, bytesIn: 1000, bytesOut: 11_600 },
    });
    expect(bytesPerMessage(poller)).toBe(76);
    expect(bytesPerMessage(socket)).toBe(126);
    expect(breakEvenRate(poller, socket)).toBeCloseTo(172 / 50);
    expect(breakEvenRate(socket, poller)).toBeUndefined();
  });
});
