import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServerProcess } from "../../../bench/servers/server-process.ts";
import { hpackSteadyState, probeTls, TLS13_RECORD_OVERHEAD } from "../../../bench/probes/tls-probe.ts";
import type { TlsProbe } from "../../../bench/core/records.ts";

describe("hpackSteadyState (the model)", () => {
  it("1 B per repeated header, a changing one written out, frame headers and one TLS record each way", () => {
    const model = hpackSteadyState({
      requestHeaders: ["host: 127.0.0.1:1", "connection: keep-alive", "accept: */*", "user-agent: undici"],
      responseHeaders: [
        ["content-type", "application/json"],
        ["date", "Mon, 30 Nov 2026 15:48:02 GMT"],
        ["etag", '"a"'],
      ],
      bodyBytes: 2,
    });
    // Request: 9 + (4 pseudo-headers + accept + user-agent) + 22. Answer: 9 + (:status + content-type) + (2 + 29) + (2 + 3) + 9 + 2 + 22.
    expect(model).toEqual({ in: 9 + 6 + 22, out: 9 + 2 + 31 + 5 + 9 + 2 + 22, changingBytes: 36 });
  });
});

describe("probeTls against the bench's server over TLS", () => {
  let server: ServerProcess;
  const probes: Partial<Record<"h1" | "h2", TlsProbe>> = {};
  beforeAll(async () => {
    server = await ServerProcess.start({ tls: true });
    for (const protocol of ["h1", "h2"] as const)
      probes[protocol] = await probeTls(protocol, server.url, server.secure!, () => server.snapshot());
  });
  afterAll(() => server?.stop());

  it("speaks the protocol asked for (the server's ALPN counts say so)", async () => {
    expect((await server.snapshot()).protocols).toEqual({ "http/1.1": 1, h2: 1 });
  });

  it("TLS 1.3 adds 22 B per record, counted from the records on the wire and the HTTP bytes inside them", () => {
    for (const probe of Object.values(probes)) {
      const { steady, records } = probe!.tls;
      expect((steady.in - records!.plaintextSent) / records!.sent).toBeCloseTo(TLS13_RECORD_OVERHEAD, 6);
      expect((steady.out - records!.plaintextReceived) / records!.received).toBeCloseTo(TLS13_RECORD_OVERHEAD, 6);
    }
  });

  it("h2: the first poll writes every header out, later ones index them; h1 pays the same every time", () => {
    const { h1, h2 } = probes as Required<typeof probes>;
    expect(h2.tls.second.in).toBeLessThan(h2.tls.first.in / 2);
    expect(h2.tls.steady.in).toBe(h2.tls.second.in);
    expect(h1.tls.first).toEqual(h1.tls.steady);
    expect(h2.tls.steady.in + h2.tls.steady.out).toBeLessThan((h1.tls.steady.in + h1.tls.steady.out) / 2);
    expect(h2.tls.setup.out).toBeGreaterThan(500); // the handshake, with the certificate, before any request
  });
});
