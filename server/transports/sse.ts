import { Hono } from "hono";
import type { ErrorBody, Message } from "../../shared/protocol.ts";
import { BrokerUnavailableError } from "../chat/broker.ts";
import { catchUp } from "../chat/catch-up.ts";
import type { Chat } from "../chat/chat.ts";
import { MAX_EVENT_STREAMS, MAX_QUEUED_EVENTS, SSE_KEEP_ALIVE_MS } from "../guard/limits.ts";
import { parseSince } from "../guard/validation.ts";
import { retryHintMs } from "./retry-hint.ts";

export interface EventStreamOptions {
  /** Interval of the keep-alive comment line; SSE_KEEP_ALIVE_MS by default. */
  keepAliveMs?: number;
  /** Most streams open at once; MAX_EVENT_STREAMS by default. */
  maxStreams?: number;
  /** Unread events after which a stream is ended; MAX_QUEUED_EVENTS by default. */
  maxQueued?: number;
}

/** One open stream, as the hub sees it. */
interface EventStream {
  send(bytes: Uint8Array): void;
  end(): void;
}

const utf8 = new TextEncoder();

/** A message as one event (WHATWG HTML §9.2): `id:` is what a reconnecting EventSource sends back as Last-Event-ID. */
export function encodeEvent(message: Message): Uint8Array {
  return utf8.encode(`id: ${message.id}\ndata: ${JSON.stringify(message)}\n\n`);
}

const KEEP_ALIVE = utf8.encode(": keep-alive\n\n");

/**
 * The open event streams. A message is encoded once and the same bytes go to every stream;
 * `close()` (graceful shutdown) ends every stream, and later requests get a stream that ends at once.
 */
export class EventStreams {
  readonly streams = new Set<EventStream>();
  readonly keepAliveMs: number;
  readonly maxStreams: number;
  readonly maxQueued: number;
  private closed = false;

  constructor(
    readonly chat: Chat,
    options: EventStreamOptions = {},
  ) {
    this.keepAliveMs = options.keepAliveMs ?? SSE_KEEP_ALIVE_MS;
    this.maxStreams = options.maxStreams ?? MAX_EVENT_STREAMS;
    this.maxQueued = options.maxQueued ?? MAX_QUEUED_EVENTS;
    chat.subscribe((message) => {
      if (this.streams.size === 0) return;
      const bytes = encodeEvent(message);
      for (const stream of this.streams) stream.send(bytes);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const stream of this.streams) stream.end();
  }
}

/**
 * `GET /events`: a `text/event-stream` with every message after `Last-Event-ID` (sent by a reconnecting EventSource),
 * or else after `?since=`, then every new message as it is stored.
 */
export function eventRoutes(hub: EventStreams): Hono {
  const routes = new Hono();

  routes.get("/", (c) => {
    const since = parseSince(c.req.header("Last-Event-ID") ?? c.req.query("since"));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error }, 400);
    if (hub.streams.size >= hub.maxStreams) {
      c.header("Retry-After", "1");
      return c.json<ErrorBody>({ error: `the server has ${hub.maxStreams} event streams open already; retry shortly` }, 503);
    }

    // One plain ReadableStream, each event enqueued as bytes: Hono's streamSSE puts a TransformStream and a second
    // ReadableStream in between, three promise hops per event per stream (~30 µs of server CPU per delivery, measured
    // by the bench). Its queue counts unread events (the retry line aside): `desiredSize` ≤ 0 means the client stopped
    // reading.
    let stream: EventStream;
    // How long this stream's EventSource waits before it reconnects: a little different for every stream.
    const retry = utf8.encode(`retry: ${retryHintMs()}\n\n`);
    let keepAlive: NodeJS.Timeout | undefined;
    let ended = false;
    // Whatever ends the stream (the server, the client leaving, an error): out of the hub, no more keep-alives.
    const leave = () => {
      ended = true;
      hub.streams.delete(stream);
      clearInterval(keepAlive);
    };
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const finish = () => {
            if (ended) return;
            leave();
            try {
              controller.close();
            } catch {
              // already errored: nothing left to close
            }
          };
          stream = {
            send(bytes) {
              if (ended) return;
              if ((controller.desiredSize ?? 0) <= 0) return finish(); // it reconnects with Last-Event-ID and catches up
              controller.enqueue(bytes);
            },
            end: finish,
          };
          if (hub.isClosed) return finish();
          controller.enqueue(retry);
          keepAlive = setInterval(() => stream.send(KEEP_ALIVE), hub.keepAliveMs);
          catchUp(hub.chat, since.since, (missed) => {
            if (ended || hub.isClosed) return finish();
            for (const message of missed) stream.send(encodeEvent(message));
            if (!ended) hub.streams.add(stream);
          }).catch((error: unknown) => {
            // Redis away (server/scale-out/redis-broker.ts): end the stream; the client comes back after `retry:` with Last-Event-ID.
            if (error instanceof BrokerUnavailableError) finish();
            else {
              leave();
              controller.error(error);
            }
          });
        },
        // The client went away (the adapter cancels the body when the connection closes).
        cancel: leave,
      },
      { highWaterMark: hub.maxQueued, size: (chunk) => (chunk === retry ? 0 : 1) },
    );
    c.req.raw.signal.addEventListener("abort", () => stream.end(), { once: true });
    return c.body(body, 200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  });

  return routes;
}
