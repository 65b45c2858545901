/**
 * The measuring code, kept beside the clients and out of them: a client takes a `fetch` or a `WebSocket`,
 * and the page hands it one of these, which count what passes through.
 */
import { frameHeaderLength } from "../../shared/websocket-frame-header.ts";

/** How many latencies a pane remembers for its figures. */
export const LATENCY_WINDOW = 50;

/** What `bytesReceived` counts (the pane shows it beside the figure, in the page's language). */
export type ReceivedUnit = "with-headers" | "bodies" | "frames" | "event-data";

export class TrafficMeter {
  requests = 0;
  emptyResponses = 0;
  bytesReceived = 0;
  bytesSent = 0;
  /** What `bytesReceived` counts: whole responses where the browser reports them, else bodies, or frames. */
  receivedUnit: ReceivedUnit | undefined;
  /** The protocol the last request actually used (Resource Timing `nextHopProtocol`: `h2`, `http/1.1`). */
  protocol: string | undefined;
  readonly latencies: number[] = [];
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

  reset(): void {
    this.requests = this.emptyResponses = this.bytesReceived = this.bytesSent = 0;
    this.protocol = undefined;
    this.latencies.length = 0;
    this.changed();
  }
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
    meter.bytesSent += byteLength(init?.body);
    const response = await inner(input, init);
    const body = await response.clone().text();
    if (body === "[]" || response.status === 304) meter.emptyResponses++;
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href).href;
    const entry = await resourceEntry(url);
    if (entry?.nextHopProtocol) meter.protocol = entry.nextHopProtocol;
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
      this.addEventListener("message", (event) => {
        meter.bytesReceived += frameSize(byteLength(event.data), false);
        meter.changed();
      });
    }
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data);
      meter.bytesSent += frameSize(byteLength(data), true);
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
      this.addEventListener("open", () => {
        meter.requests++;
        meter.changed();
      });
      this.addEventListener("message", (event) => {
        meter.bytesReceived += byteLength(event.data);
        meter.changed();
      });
    }
  };
}
