/**
 * What a run measured, as plain data: the records the scenarios hand back and the analysis reads, with no function,
 * class or live object in them, so a record can be written to JSON, kept as a test fixture and read back as it was.
 */
import type { TrafficSnapshot } from "../../server/counting/traffic-stats.ts";
import type { BenchId } from "../../shared/transports.ts";

/** Everything one run measured, raw; analysis/aggregate.ts turns it into figures. */
export interface RunRecord {
  instances?: number;
  /** Which server was measured. */
  server: ServerKind;
  /** Over TLS (bench --http2): the protocol, what one poll costs request by request, and the server's ALPN counts. */
  tls?: TlsProtocol;
  tlsProbe?: TlsProbe;
  interval: number;
  duration: number;
  rate: number;
  arrivals: Arrivals;
  calibration: Calibration;
  groups: GroupRecord[];
  publish: PublishResult;
  /** Server snapshots: after calibration, start and end of the idle window, end of the publish window, after clients left. */
  snapshots: {
    calibrated: ServerReport;
    idleStart: ServerReport;
    idleEnd: ServerReport;
    publishEnd: ServerReport;
    final: ServerReport;
  };
  /** The server's counts after it closed every connection (close frames included). */
  closed: ServerReport | undefined;
  idleMs: number;
  publishMs: number;
  /** CPU of this process (clients + publisher) and of any client worker processes during the publish window, µs. */
  clientCpuMicros: number;
  /** False if the drain timeout ended the wait before every client had every message. */
  drained: boolean;
  /** The machine's 1-minute load average when publishing ended: above the core count, other work shared the CPUs. */
  loadAverage: number;
}

/** What one empty poll costs on the wire, and how long a warm request takes, measured on the fresh server. */
export interface Calibration {
  requestBytes: number;
  emptyResponseBytes: number;
  rttMs: number;
}

/** One group of clients in a run: plain data, what the clients counted and received. */
export interface GroupRecord {
  mode: ModeRecord;
  where: "node" | "browser";
  clients: number;
  receipts: Receipt[][];
  /** Counted by the clients over their whole life. */
  clientRequests: number;
  clientSockets: number;
  /** Requests that failed or were answered with an error status, as the clients saw them. */
  clientErrors: number;
  /** Worker processes the clients ran in (clients/client-workers.ts); absent: the bench's own process. */
  workers?: number;
}

/** The name of a client mode: a transport's id in shared/transports.ts, or the Socket.IO rival's clients. */
export type ModeName = BenchId | "socket.io";

/** Which clients a group ran, as data: what the analysis needs of a mode (clients/modes.ts has the live one). */
export interface ModeRecord {
  name: ModeName;
  /** Its cost depends on the poll interval T. */
  usesInterval: boolean;
  /** Its connections are WebSockets. */
  socket: boolean;
}

/** One receipt: message sequence number and when the client had it (ms, on the epoch-based high-resolution clock). */
export interface Receipt {
  seq: number;
  at: number;
  /** Browser tabs only: when a frame with the message's DOM node had been drawn (bench/clients/browser-clients.ts). */
  paintedAt?: number;
}

/** When the publisher posts: at random (Poisson) or evenly spaced moments. */
export type Arrivals = "poisson" | "steady";

export interface PublishResult {
  /** When each POST was sent (epochNow(), just before the request was written), by sequence number. */
  sentAt: number[];
  /** When each POST ended (answered, or failed), by sequence number. */
  doneAt: number[];
  /** Which POSTs were answered 201 (stored): the messages every client must receive. */
  stored: boolean[];
  /** The id the server gave each stored message (from the 201 body), by sequence number. */
  ids: number[];
  /** POSTs not answered 201. */
  errors: number;
  /** The publisher's own traffic, counted at its sockets (the server's counts include it; the bench subtracts it). */
  bytesSent: number;
  bytesReceived: number;
}

/**
 * Which server a run measures: `app`, ours as `npm start` runs it (servers/server-entry.ts); `floor`, the least server that
 * speaks the protocol, node:http + ws and none of our request handling (servers/floor-server-entry.ts): what this machine gives.
 */
export type ServerKind = "app" | "floor" | RivalKind;

/**
 * Rivals, measured alike (`--rivals`): `socketio`, Socket.IO 4.8 (servers/socketio-server-entry.ts); `deno`, our own
 * createApp on Deno as `npm run start:deno` serves it (servers/deno-server-entry.ts, started by servers/deno-process.ts).
 */
export type RivalKind = "socketio" | "deno";

/** A server snapshot plus the broadcasts timed since the last snapshot. */
export interface ServerReport extends TrafficSnapshot {
  /** WebSockets open at the snapshot (the hub's count). */
  openSockets: number;
  /** When each message was published, and when this instance's transports had it (bench/servers/cluster.ts pairs them). */
  broker?: BrokerTimes;
  /** Each broadcast since the last snapshot: sockets it went to, wall time and CPU time it took, µs. */
  broadcasts: { sockets: number; micros: number; cpuMicros: number }[];
  /** Over TLS (bench --http2): connections by the protocol ALPN chose (`h2`, `http/1.1`). */
  protocols?: Record<string, number>;
}

/** [message id, epochNow() ms] pairs, recorded inside the server processes (ServerReport.broker). */
export interface BrokerTimes {
  published: [number, number][];
  received: [number, number][];
}

/** The TLS port of a server started with BENCH_TLS=1 (bench --http2), and its self-signed certificate to trust. */
export interface SecurePort {
  url: string;
  cert: string;
}

/** The protocol a run's clients speak over TLS: HTTP/1.1, or HTTP/2 (ALPN offers both; the server picks h2). */
export type TlsProtocol = "h1" | "h2";

/** bench --http2's calibration: one poll's bytes over TLS and over plain HTTP/1.1 (probes/tls-probe.ts). */
export interface TlsProbe {
  protocol: TlsProtocol;
  tls: ConnectionProbe;
  /** The same client's polls over plain HTTP/1.1: what the request and the answer are without TLS. */
  plain: ConnectionProbe;
  /** The plain request's header lines as undici wrote them (name: value), the HPACK model's input. */
  requestHeaders: string[];
  /** The answer's headers as received, the HPACK model's other input; and its body's length. */
  responseHeaders: [string, string][];
  bodyBytes: number;
}

/** One connection's polls, counted at the server's TCP sockets (probes/tls-probe.ts). */
export interface ConnectionProbe {
  /** Before any request: TCP has no payload; TLS its handshake (h2: and the server's SETTINGS). */
  setup: Exchange;
  /** The first poll on the connection (h2: with the client's preface and SETTINGS, every header written out). */
  first: Exchange;
  /** The second: over h2 its repeated headers are already in HPACK's dynamic table. */
  second: Exchange;
  /** The mean of STEADY_POLLS polls after those. */
  steady: Exchange;
  /** Median round trip of a warm poll, ms. */
  rttMs: number;
  /** TLS only, steady polls, per poll: records each way, and the HTTP bytes inside them (the socket's plaintext). */
  records?: { sent: number; received: number; plaintextSent: number; plaintextReceived: number };
}

/** Bytes the server read (client → server) and wrote (server → client) at its TCP sockets. */
export interface Exchange {
  in: number;
  out: number;
}

/** What this machine's loopback costs before any server code (probes/machine-probe.ts, --machine). */
export interface MachineProbe {
  machine: {
    cpus: number;
    cpuModel: string;
    /** os.release() */
    kernel: string;
    node: string;
    /** 1, 5 and 15 minutes, when the probe started. */
    loadAverage: number[];
    /** /sys/devices/system/cpu/cpuidle/current_driver, null where unreadable. */
    cpuidleDriver: string | null;
    /** The /proc/cmdline token that sets guest_halt_poll_ns, null where there is none. */
    haltPoll: string | null;
  };
  gapMs: number;
  /** A tiny GET answered 200 over one node:http keep-alive connection. */
  http: RoundTrips;
  /** A one-byte text frame sent and echoed back, with `ws`. */
  websocket: RoundTrips;
  broadcast: {
    sockets: number;
    /** The counterpart's write loop: one pre-built frame written to every socket's TCP connection. */
    loop: Spread;
    /** loop p50 / sockets, µs. */
    microsPerSocket: number;
    /** From the loop's start to the first and to the last of this process's clients having the frame (epoch clock). */
    firstReceipt: Spread;
    lastReceipt: Spread;
    /** From the loop's start to each client having the frame: its p50 is the bench's p50 with no HTTP and no server code. */
    eachReceipt: Spread;
  };
}

/** Round trips to another process, back to back and spaced. */
export interface RoundTrips {
  backToBack: Spread;
  /** Each round trip `gapMs` after the last one ended: both processes idle in between. */
  spaced: Spread;
}

/** Milliseconds. */
export interface Spread {
  count: number;
  p50: number;
  p90: number;
}
