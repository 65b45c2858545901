import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../bench/aggregate.ts";
import { breakEvenRate, idlePoll, tlsPerRecord } from "../../bench/http2-report.ts";

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

  it("break-even: a poller's idle bytes per second over a socket's bytes per message", () => {
    const poller = summary({ idleBytesPerSecond: 1720, clients: 10 });
    const socket = summary({ perMessage: { bytes: 86 } });
    expect(breakEvenRate(poller, socket)).toBe(2);
  });
});
