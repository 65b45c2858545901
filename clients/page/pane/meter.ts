/**
 * What the page keeps beside the clients and out of them: a client takes a `fetch`, a `WebSocket` or an
 * `EventSource`, and the page hands it one of these, which tag each URL with the pane's `?p=` (so the server can
 * count the pane's bytes at its socket: clients/page/pane/pane-totals.ts reads them back) and note when each request,
 * frame and event happened, for the latency figures and the timeline strip. No bytes are counted here: a browser
 * sees neither request headers nor, in most browsers, response headers.
 */
import { PANE_PARAM, type Message } from "../../../shared/protocol.ts";

/** How many latencies a pane remembers for its figures. */
export const LATENCY_WINDOW = 50;

/** How far back a pane's records go (its timeline strip, clients/page/pane/timeline.ts, draws them); older ones go. */
export const RECORD_WINDOW_MS = 30_000;

/**
 * One thing the page did or got, timed by this browser's `Date.now()`, for the pane's timeline: a request (a poll, or
 * a `send`, any other method), a connection (a WebSocket's upgrade, an SSE stream), a frame or event received, a frame
 * sent. A request or a connection is recorded when it starts; `end` (and the rest) is filled in when it ends.
 */
export interface TrafficRecord {
  kind: "request" | "send" | "connection" | "frame" | "frame-sent";
  start: number;
  /** When the answer was read, or the connection closed; unset while in flight or open. */
  end?: number;
  /** A connection: when it opened (the WebSocket's 101, the stream's 200). */
  opened?: number;
  /** The HTTP status: a request's answer; 101 or 200 for a connection that opened. */
  status?: number;
  /** The messages the answer, frame or event carried (none in `[]`, a 304, a heartbeat). */
  messages: Pick<Message, "id" | "sentAt">[];
}

export class TrafficMeter {
  /** The pane's `?p=` value (`<pane id>.<transport id>`), added to every URL; none: URLs go out as they are. */
  pane = "";
  /** Requests, upgrades and stream (re)connections this page made: for the bench's tabs (bench/clients/browser-clients.ts). */
  requestsMade = 0;
  /** The protocol the last request actually used (Resource Timing `nextHopProtocol`: `h2`, `http/1.1`). */
  protocol: string | undefined;
  readonly latencies: number[] = [];
  /** What was recorded in the last RECORD_WINDOW_MS, in the order it started (plus whatever is still open). */
  records: TrafficRecord[] = [];
  /** When counting (re)started: a message sent before it has no wait to show. */
  startedAt = Date.now();
  /** When the last request started, or the last answer, frame or event came (the totals are read between them). */
  lastActivity = 0;
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` on every change; returns what stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.lastActivity = Date.now();
    for (const listener of this.listeners) listener();
  }

  addLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    this.changed();
  }

  /** Keeps `record` and drops what ended more than RECORD_WINDOW_MS ago, so memory stays bounded. */
  record(record: TrafficRecord): TrafficRecord {
    this.lastActivity = Date.now();
    const cutoff = record.start - RECORD_WINDOW_MS;
    this.records = this.records.filter((kept) => kept.end === undefined || kept.end >= cutoff);
    this.records.push(record);
    return record;
  }

  /** A new start (another transport): new tag, nothing recorded. */
  reset(pane = this.pane): void {
    this.pane = pane;
    this.requestsMade = 0;
    this.protocol = undefined;
    this.latencies.length = 0;
    this.records = [];
    this.startedAt = Date.now();
    this.changed();
  }

  /** `url` with the pane's `?p=`, absolute (the page's own address resolves a path). */
  tag(url: string | URL): string {
    if (!this.pane) return String(url);
    const tagged = new URL(url, globalThis.location?.href);
    tagged.searchParams.set(PANE_PARAM, this.pane);
    return tagged.href;
  }
}

/** A frame or event: it starts and ends in the same moment. */
function instant(kind: "frame" | "frame-sent", messages: TrafficRecord["messages"] = []): TrafficRecord {
  const now = Date.now();
  return { kind, start: now, end: now, messages };
}

const isMessage = (value: unknown): value is Message =>
  typeof (value as Message)?.id === "number" && typeof (value as Message)?.sentAt === "number";

/** The messages in a body, frame or event (`[…]` or one message: a socket's frame is the message), as ids and times. */
export function carriedMessages(data: unknown): TrafficRecord["messages"] {
  let value: unknown;
  try {
    value = typeof data === "string" ? JSON.parse(data) : undefined;
  } catch {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).filter(isMessage).map(({ id, sentAt }) => ({ id, sentAt }));
}

/**
 * A `fetch` that tags each request with the pane's `?p=` and records it (when it started and was answered, its status
 * and the messages it brought) for the timeline and the latency figures.
 */
export function meteredFetch(
  meter: TrafficMeter,
  inner: typeof fetch = globalThis.fetch.bind(globalThis),
): typeof fetch {
  return async (input, init) => {
    meter.requestsMade++;
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const record = meter.record({ kind: method === "GET" ? "request" : "send", start: Date.now(), messages: [] });
    const url = meter.tag(input instanceof Request ? input.url : input);
    let response: Response;
    let body: string;
    try {
      response = await inner(input instanceof Request ? new Request(url, input) : url, init);
      body = record.kind === "request" ? await response.clone().text() : "";
    } finally {
      record.end = Date.now(); // answered, failed or aborted: the request is over either way
    }
    record.status = response.status;
    if (record.kind === "request") record.messages = carriedMessages(body);
    meter.changed();
    // The protocol comes after: waiting for the browser's timing entry must not delay the answer the client reads.
    void resourceEntry(new URL(url, location.href).href).then((entry) => {
      if (!entry?.nextHopProtocol || entry.nextHopProtocol === meter.protocol) return;
      meter.protocol = entry.nextHopProtocol;
      meter.changed();
    });
    return response;
  };
}

/** The browser's Resource Timing entry of a request: only its protocol is read (its sizes leave the headers out). */
async function resourceEntry(url: string): Promise<PerformanceResourceTiming | undefined> {
  if (typeof performance === "undefined" || !performance.getEntriesByName) return undefined;
  for (let tries = 0; tries < 5; tries++) {
    const entries = performance.getEntriesByName(url, "resource") as PerformanceResourceTiming[];
    const entry = entries[entries.length - 1];
    if (entry) {
      performance.clearResourceTimings(); // the buffer is small; each entry is read once
      return entry;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/** A `WebSocket` class whose instances carry the pane's `?p=` and record the connection and each frame. */
export function meteredWebSocket(meter: TrafficMeter, Base: typeof WebSocket = WebSocket): typeof WebSocket {
  return class MeteredWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(meter.tag(url), protocols);
      meter.requestsMade++; // the upgrade request
      const connection = meter.record({ kind: "connection", start: Date.now(), messages: [] });
      this.addEventListener("open", () => {
        connection.opened = Date.now();
        connection.status = 101; // a WebSocket opens only on 101 Switching Protocols
      });
      this.addEventListener("close", () => (connection.end = Date.now()));
      this.addEventListener("message", (event) => {
        meter.record(instant("frame", carriedMessages(event.data)));
        meter.changed();
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      meter.record(instant("frame-sent"));
      meter.changed();
    }
  };
}

/** An `EventSource` class whose instances carry the pane's `?p=` and record each (re)connection and each event. */
export function meteredEventSource(meter: TrafficMeter, Base: typeof EventSource = EventSource): typeof EventSource {
  return class MeteredEventSource extends Base {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(meter.tag(url), init);
      let stream: TrafficRecord | undefined;
      this.addEventListener("open", () => {
        meter.requestsMade++;
        const now = Date.now();
        stream = meter.record({ kind: "connection", start: now, opened: now, status: 200, messages: [] });
        meter.changed();
      });
      this.addEventListener("error", () => stream && (stream.end ??= Date.now())); // broken: the browser reconnects
      this.addEventListener("message", (event) => {
        meter.record(instant("frame", carriedMessages(event.data)));
        meter.changed();
      });
    }
  };
}
