/**
 * The measuring code, kept beside the clients and out of them: a client takes a `fetch` or a `WebSocket`,
 * and the page hands it one of these, which count what passes through.
 */
import type { Message } from "../../shared/protocol.ts";
import { frameHeaderLength } from "../../shared/websocket-frame-header.ts";

/** How many latencies a pane remembers for its figures. */
export const LATENCY_WINDOW = 50;

/** How far back a pane's records go (its timeline strip, clients/page/timeline.ts, draws them); older ones go. */
export const RECORD_WINDOW_MS = 30_000;

/**
 * One thing the meter counted, timed by this browser's `Date.now()`, for the pane's timeline: a request (a poll, or
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

/** What `bytesReceived` counts (the pane shows it beside the figure, in the page's language). */
export type ReceivedUnit = "with-headers" | "bodies" | "frames" | "event-data";

export class TrafficMeter {
  requests = 0;
  emptyResponses = 0;
  bytesReceived = 0;
  bytesSent = 0;
  /** What `bytesReceived` counts: whole responses where the browser reports them, else bodies, or frames. */
  receivedUnit: ReceivedUnit | undefined;
  readonly latencies: number[] = [];
  /** What was counted in the last RECORD_WINDOW_MS, in the order it started (plus whatever is still open). */
  records: TrafficRecord[] = [];
  /** When counting (re)started: a message sent before it has no wait to show. */
  startedAt = Date.now();
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  addLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    this.changed();
  }

  /** Keeps `record` and drops what ended more than RECORD_WINDOW_MS ago, so memory stays bounded. */
  record(record: TrafficRecord): TrafficRecord {
    const cutoff = record.start - RECORD_WINDOW_MS;
    this.records = this.records.filter((kept) => kept.end === undefined || kept.end >= cutoff);
    this.records.push(record);
    return record;
  }

  reset(): void {
    this.requests = this.emptyResponses = this.bytesReceived = this.bytesSent = 0;
    this.latencies.length = 0;
    this.records = [];
    this.startedAt = Date.now();
    this.changed();
  }
}

/** A frame or event: it starts and ends in the same moment. */
function instant(kind: "frame" | "frame-sent", messages: TrafficRecord["messages"] = []): TrafficRecord {
  const now = Date.now();
  return { kind, start: now, end: now, messages };
}

const isMessage = (value: unknown): value is Message =>
  typeof (value as Message)?.id === "number" && typeof (value as Message)?.sentAt === "number";

/** The messages in a body, frame or event (`[…]`, `{type: "message"|"history"}`, one message), as ids and times. */
export function carriedMessages(data: unknown): TrafficRecord["messages"] {
  let value: unknown;
  try {
    value = typeof data === "string" ? JSON.parse(data) : undefined;
  } catch {
    return [];
  }
  const frame = value as { type?: string; message?: unknown; messages?: unknown };
  const list = Array.isArray(value)
    ? value
    : frame?.type === "history" && Array.isArray(frame.messages)
      ? frame.messages
      : frame?.type === "message"
        ? [frame.message]
        : [value];
  return list.filter(isMessage).map(({ id, sentAt }) => ({ id, sentAt }));
}

const utf8 = new TextEncoder();
const byteLength = (data: unknown): number =>
  typeof data === "string" ? utf8.encode(data).length : data instanceof ArrayBuffer ? data.byteLength : (data as Blob)?.size ?? 0;

/**
 * A `fetch` that counts requests, empty answers (`[]`, or a 304) and bytes. Bytes received come from Resource Timing
 * (`transferSize`: headers and body as they crossed the wire) where the browser reports it, else the body alone.
 */
export function meteredFetch(meter: TrafficMeter, inner: typeof fetch = globalThis.fetch.bind(globalThis)): typeof fetch {
  return async (input, init) => {
    meter.requests++;
    const method = init?.method?.toUpperCase() ?? "GET";
    const record = meter.record({ kind: method === "GET" ? "request" : "send", start: Date.now(), messages: [] });
    meter.bytesSent += byteLength(init?.body);
    let response: Response;
    let body: string;
    try {
      response = await inner(input, init);
      body = await response.clone().text();
    } finally {
      record.end = Date.now(); // answered, failed or aborted: the request is over either way
    }
    record.status = response.status;
    if (record.kind === "request") record.messages = carriedMessages(body);
    if (body === "[]" || response.status === 304) meter.emptyResponses++;
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href).href;
    const entry = await resourceEntry(url);
    if (entry && entry.transferSize > 0) {
      meter.bytesReceived += entry.transferSize;
      meter.receivedUnit = "with-headers";
    } else {
      meter.bytesReceived += utf8.encode(body).length;
      meter.receivedUnit = "bodies";
    }
    meter.changed();
    return response;
  };
}

/** The Resource Timing entry of a finished fetch; the browser adds it a moment after the body arrives. */
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

/** Size of a WebSocket frame on the wire (RFC 6455 §5.2): header, mask key from the client, then the payload. */
export function frameSize(payloadBytes: number, masked: boolean): number {
  return frameHeaderLength(payloadBytes, masked) + payloadBytes;
}

/** A `WebSocket` class whose instances count frames by their size on the wire. */
export function meteredWebSocket(meter: TrafficMeter, Base: typeof WebSocket = WebSocket): typeof WebSocket {
  return class MeteredWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      meter.requests++; // the upgrade request
      meter.receivedUnit = "frames";
      const connection = meter.record({ kind: "connection", start: Date.now(), messages: [] });
      this.addEventListener("open", () => {
        connection.opened = Date.now();
        connection.status = 101; // a WebSocket opens only on 101 Switching Protocols
      });
      this.addEventListener("close", () => (connection.end = Date.now()));
      this.addEventListener("message", (event) => {
        meter.bytesReceived += frameSize(byteLength(event.data), false);
        meter.record(instant("frame", carriedMessages(event.data)));
        meter.changed();
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      meter.bytesSent += frameSize(byteLength(data), true);
      meter.record(instant("frame-sent"));
      meter.changed();
    }
  };
}

/**
 * An `EventSource` class whose instances count each (re)connection as a request and the `data` of each event as bytes
 * received. The browser reports no byte counts for a stream that never ends, so ids, field names, keep-alive lines
 * and headers are left out, and the figure says so: "(event data)".
 */
export function meteredEventSource(meter: TrafficMeter, Base: typeof EventSource = EventSource): typeof EventSource {
  return class MeteredEventSource extends Base {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      meter.receivedUnit = "event-data";
      let stream: TrafficRecord | undefined;
      this.addEventListener("open", () => {
        meter.requests++;
        const now = Date.now();
        stream = meter.record({ kind: "connection", start: now, opened: now, status: 200, messages: [] });
        meter.changed();
      });
      this.addEventListener("error", () => stream && (stream.end ??= Date.now())); // broken: the browser reconnects
      this.addEventListener("message", (event) => {
        meter.bytesReceived += byteLength(event.data);
        meter.record(instant("frame", carriedMessages(event.data)));
        meter.changed();
      });
    }
  };
}
