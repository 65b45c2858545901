/**
 * bench --http2's calibration: what one empty poll costs on a fresh connection, request by request, over plain
 * HTTP/1.1, HTTP/1.1 over TLS and HTTP/2 over TLS, counted at the server's TCP sockets (TLS records included), with
 * the same client (undici's fetch). The difference between plain and TLS HTTP/1.1 is what TLS adds; the difference
 * between the first and later h2 requests is HPACK's dynamic table filling.
 */
import { connect as netConnect, type Socket } from "node:net";
import { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import { connect as tlsConnect } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import type { ConnectionProbe, Exchange, SecurePort, ServerReport, TlsProbe, TlsProtocol } from "../core/records.ts";

const STEADY_POLLS = 20;
const TIMED_POLLS = 51;
/** After the handshake: TLS 1.3 session tickets and the server's h2 SETTINGS arrive just after it. */
const SETTLE_MS = 100;
const POLL_PATH = "/messages?since=1";

const delta = (a: ServerReport, b: ServerReport, n = 1): Exchange => ({
  in: (b.bytesRead - a.bytesRead) / n,
  out: (b.bytesWritten - a.bytesWritten) / n,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Snapshot = () => Promise<ServerReport>;

/** Polls on one new connection that the probe opens itself, so the bytes before the first request are seen apart. */
async function probeConnection(
  origin: string,
  snapshot: Snapshot,
  open: () => Promise<Socket>,
  h2: boolean,
  records?: RecordCount,
): Promise<ConnectionProbe & { response: Response; socket: Socket }> {
  const start = await snapshot();
  let connected: ServerReport | undefined;
  let socket: Socket | undefined;
  const agent = new Agent({
    allowH2: h2,
    connections: 1,
    connect: (_options, callback) => {
      open().then(
        async (opened) => {
          socket = opened;
          await sleep(SETTLE_MS);
          connected = await snapshot();
          callback(null, opened);
        },
        (error: Error) => callback(error, null),
      );
    },
  });
  const poll = async () => {
    const response = await undiciFetch(`${origin}${POLL_PATH}`, { dispatcher: agent });
    await response.text();
    return response as unknown as Response;
  };
  try {
    const response = await poll();
    const afterFirst = await snapshot();
    await poll();
    const afterSecond = await snapshot();
    const mark = () => ({ ...records!, plaintextSent: socket!.bytesWritten, plaintextReceived: socket!.bytesRead });
    const before = records && mark();
    for (let i = 0; i < STEADY_POLLS; i++) await poll();
    const afterSteady = await snapshot();
    const after = records && mark();
    const times: number[] = [];
    for (let i = 0; i < TIMED_POLLS; i++) {
      const t0 = performance.now();
      await poll();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      setup: delta(start, connected!),
      first: delta(connected!, afterFirst),
      second: delta(afterFirst, afterSecond),
      steady: delta(afterSecond, afterSteady, STEADY_POLLS),
      rttMs: times[Math.floor(times.length / 2)]!,
      records: before &&
        after && {
          sent: (after.sent - before.sent) / STEADY_POLLS,
          received: (after.received - before.received) / STEADY_POLLS,
          plaintextSent: (after.plaintextSent - before.plaintextSent) / STEADY_POLLS,
          plaintextReceived: (after.plaintextReceived - before.plaintextReceived) / STEADY_POLLS,
        },
      response,
      socket: socket!,
    };
  } finally {
    await agent.destroy();
  }
}

/** TLS records seen in each direction on one connection, by their 5-byte headers (RFC 8446 §5.1). */
export interface RecordCount {
  sent: number;
  received: number;
}

/** Counts the records in a TLS byte stream: type (1), version (2), length (2), then `length` bytes. */
function recordCounter() {
  let pending = Buffer.alloc(0);
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(chunk: Buffer) {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt16BE(3)) {
        pending = pending.subarray(5 + pending.readUInt16BE(3));
        count++;
      }
    },
  };
}

/**
 * The TCP socket behind a JS stream, so TLS's ciphertext passes through JS and its records can be counted (a TLS
 * socket over a plain net.Socket reads and writes in C++, out of sight). Only the probe's one connection pays this.
 */
function tappedSocket(socket: Socket, records: RecordCount): Duplex {
  const sent = recordCounter();
  const received = recordCounter();
  const tap: Duplex = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      sent.add(chunk);
      records.sent = sent.count;
      socket.write(chunk, callback);
    },
    read() {
      socket.resume();
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on("data", (chunk: Buffer) => {
    received.add(chunk);
    records.received = received.count;
    if (!tap.push(chunk)) socket.pause();
  });
  socket.once("end", () => tap.push(null));
  socket.once("error", (error) => tap.destroy(error));
  return tap;
}

/** Resolves once `socket` is connected (TCP) or its handshake done (TLS). */
const opened = <S extends Socket>(socket: S, event: "connect" | "secureConnect") =>
  new Promise<S>((resolve, reject) => socket.once(event, () => resolve(socket)).once("error", reject));

export async function probeTls(
  protocol: TlsProtocol,
  plainUrl: string,
  secure: SecurePort,
  snapshot: Snapshot,
): Promise<TlsProbe> {
  const plainPort = new URL(plainUrl);
  const written: Buffer[] = [];
  const plain = await probeConnection(
    plainUrl,
    snapshot,
    async () => {
      const socket = await opened(netConnect(Number(plainPort.port), plainPort.hostname), "connect");
      // What undici writes for the first request: its header lines are what HPACK would index.
      const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
      socket.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (written.length === 0 && (typeof chunk === "string" || Buffer.isBuffer(chunk)))
          written.push(Buffer.from(chunk as string));
        return write(chunk, ...rest);
      }) as Socket["write"];
      return socket;
    },
    false,
  );
  const url = new URL(secure.url);
  const records: RecordCount = { sent: 0, received: 0 };
  const tls = await probeConnection(
    secure.url,
    snapshot,
    async () => {
      const ALPNProtocols = protocol === "h2" ? ["h2", "http/1.1"] : ["http/1.1"];
      const tcp = tappedSocket(
        (await opened(netConnect(Number(url.port), url.hostname), "connect")).setNoDelay(true),
        records,
      );
      return opened(
        tlsConnect({ socket: tcp, ca: secure.cert, servername: "localhost", ALPNProtocols }),
        "secureConnect",
      );
    },
    protocol === "h2",
    records,
  );
  const head = Buffer.concat(written).toString("latin1").split("\r\n\r\n")[0]!;
  const responseHeaders = [...tls.response.headers] as [string, string][];
  return {
    protocol,
    tls: {
      setup: tls.setup,
      first: tls.first,
      second: tls.second,
      steady: tls.steady,
      rttMs: tls.rttMs,
      records: tls.records,
    },
    plain: { setup: plain.setup, first: plain.first, second: plain.second, steady: plain.steady, rttMs: plain.rttMs },
    requestHeaders: head.split("\r\n").slice(1),
    responseHeaders,
    bodyBytes: Number(tls.response.headers.get("content-length") ?? 2),
  };
}

/** RFC 8446 §5.2, TLS 1.3 with AES-GCM or ChaCha20-Poly1305: 5-byte record header, 1 byte of inner type, 16-byte tag. */
export const TLS13_RECORD_OVERHEAD = 22;
/** RFC 9113 §4.1: every HTTP/2 frame starts with a 9-byte header. */
const H2_FRAME_HEADER = 9;
/** Response headers the model writes out each time: the clock's second, and the answer's tag (new with each message). */
export const CHANGING_HEADERS = ["date", "etag"];

/**
 * HPACK's steady state, a model (RFC 7541): a header seen before on this connection costs 1 byte (an index into the
 * static or dynamic table, §6.1); one whose value changed is a literal with an indexed name, 2 bytes + its value
 * (§6.2.1; Huffman coding, which would shave ~20 % off the value, left out). Each side: one HEADERS frame (the
 * answer also one DATA frame) in one TLS 1.3 record. Request: the four pseudo-headers plus undici's header lines
 * minus `host` and `connection`, which HTTP/2 has no use for.
 */
export function hpackSteadyState(
  probe: Pick<TlsProbe, "requestHeaders" | "responseHeaders" | "bodyBytes">,
): Exchange & { changingBytes: number } {
  const requestLines = probe.requestHeaders.filter((line) => !/^(host|connection):/i.test(line)).length + 4;
  const changingBytes = probe.responseHeaders
    .filter(([name]) => CHANGING_HEADERS.includes(name.toLowerCase()))
    .reduce((sum, [, value]) => sum + 2 + value.length, 0);
  const indexed = 1 + probe.responseHeaders.filter(([name]) => !CHANGING_HEADERS.includes(name.toLowerCase())).length; // + :status
  return {
    in: H2_FRAME_HEADER + requestLines + TLS13_RECORD_OVERHEAD,
    out: H2_FRAME_HEADER + indexed + changingBytes + H2_FRAME_HEADER + probe.bodyBytes + TLS13_RECORD_OVERHEAD,
    changingBytes,
  };
}
