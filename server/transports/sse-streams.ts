import { Hono } from "hono";
import { EPOCH_PARAM, type ErrorBody, type Message } from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import { MAX_EVENT_STREAMS, MAX_QUEUED_EVENTS, SSE_KEEP_ALIVE_MS } from "../limits/waiting-limits.ts";
import { parseLastEventId, parseSince } from "../guard/validation.ts";
import { encodeEvent, eventStreamBody, type EventStream } from "./sse-fast-stream.ts";
import type { WaitingClients } from "./waiting-clients.ts";

export interface SseOptions {
  /** Interval of the keep-alive comment line; SSE_KEEP_ALIVE_MS by default. */
  keepAliveMs?: number;
  /** Most streams open at once; MAX_EVENT_STREAMS by default. */
  maxStreams?: number;
  /** Unread events after which a stream is ended; MAX_QUEUED_EVENTS by default. */
  maxQueued?: number;
}

/**
 * The open event streams, and the loop that writes each new message into every one of them (encoded once).
 * `close()` (graceful shutdown) ends every stream, and later requests get a stream that ends at once. A new history
 * (a Redis that lost its data) ends them too: each EventSource comes back with its old epoch and gets the new history
 * from its start.
 */
export class SseStreams implements WaitingClients {
  readonly streams = new Set<EventStream>();
  readonly keepAliveMs: number;
  readonly maxStreams: number;
  readonly maxQueued: number;
  private closed = false;

  constructor(
    readonly chat: Chat,
    options: SseOptions = {},
  ) {
    this.keepAliveMs = options.keepAliveMs ?? SSE_KEEP_ALIVE_MS;
    this.maxStreams = options.maxStreams ?? MAX_EVENT_STREAMS;
    this.maxQueued = options.maxQueued ?? MAX_QUEUED_EVENTS;
  }

  /** A new message is written into every open stream, encoded once (server/delivery.ts calls this). */
  deliver(message: Message): void {
    if (this.streams.size === 0) return;
    const event = encodeEvent(message, this.chat.epoch);
    for (const stream of this.streams) stream.send(event);
  }

  /** A new history: every stream ends, and each EventSource comes back with its old epoch. */
  restart(): void {
    this.endAll();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.endAll();
  }

  private endAll(): void {
    for (const stream of this.streams) stream.end();
  }
}

/**
 * `GET /events`: a `text/event-stream` with every message after `Last-Event-ID` (sent by a reconnecting EventSource;
 * an empty one is no id), or else after `?since=`, then every new message as it is stored, each as `id:` + `data:`
 * (WHATWG HTML §9.2). An id from another epoch gets the history from its start.
 * The body is one plain stream (sse-fast-stream.ts, measured there) rather than Hono's `streamSSE`.
 */
export function sseRoutes(hub: SseStreams): Hono {
  const routes = new Hono();

  routes.get("/", (c) => {
    const lastEventId = c.req.header("Last-Event-ID");
    const since = lastEventId
      ? parseLastEventId(lastEventId)
      : parseSince(c.req.query("since"), c.req.query(EPOCH_PARAM));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error, code: "bad-request" }, 400);
    if (hub.streams.size >= hub.maxStreams) {
      c.header("Retry-After", "1");
      return c.json<ErrorBody>(
        {
          error: `the server has ${hub.maxStreams} event streams open already; retry shortly`,
          code: "server-busy",
        },
        503,
      );
    }
    const body = eventStreamBody(hub, since.since, since.epoch, c.req.raw.signal);
    return c.body(body, 200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  });

  return routes;
}
