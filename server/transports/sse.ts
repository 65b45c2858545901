import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ErrorBody, Message } from "../../shared/protocol.ts";
import { BrokerUnavailableError } from "../chat/broker.ts";
import { catchUp } from "../chat/catch-up.ts";
import type { Chat } from "../chat/chat.ts";
import { MAX_EVENT_STREAMS, MAX_QUEUED_EVENTS, SSE_KEEP_ALIVE_MS, SSE_RETRY_MS } from "../guard/limits.ts";
import { parseSince } from "../guard/validation.ts";

export interface SseOptions {
  /** Interval of the keep-alive comment line; SSE_KEEP_ALIVE_MS by default. */
  keepAliveMs?: number;
  /** Most streams open at once; MAX_EVENT_STREAMS by default. */
  maxStreams?: number;
  /** Unread events after which a stream is ended; MAX_QUEUED_EVENTS by default. */
  maxQueued?: number;
}

/** One open stream, as the hub sees it. */
interface SseStream {
  send(message: Message): void;
  end(): void;
}

/**
 * The open event streams, and the loop that hands each new message to every one of them. `close()` (graceful
 * shutdown) ends every stream, and later requests get a stream that ends at once.
 */
export class SseStreams {
  readonly streams = new Set<SseStream>();
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
    chat.subscribe((message) => {
      for (const stream of this.streams) stream.send(message);
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
 * or else after `?since=`, then every new message as it is stored, each as `data:` + `id:` (WHATWG HTML §9.2).
 */
export function sseRoutes(hub: SseStreams): Hono {
  const routes = new Hono();

  routes.get("/", (c) => {
    const since = parseSince(c.req.header("Last-Event-ID") ?? c.req.query("since"));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error }, 400);
    if (hub.streams.size >= hub.maxStreams) {
      c.header("Retry-After", "1");
      return c.json<ErrorBody>({ error: `the server has ${hub.maxStreams} event streams open already; retry shortly` }, 503);
    }
    const signal = c.req.raw.signal;

    return streamSSE(c, async (sse) => {
      if (hub.isClosed) return;
      let ended = false;
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      // Writes not yet taken by the response: when a client stops reading they pile up, so past maxQueued it is
      // ended (it reconnects with Last-Event-ID and catches up).
      let unread = 0;
      const write = (written: () => Promise<unknown>) => {
        if (ended) return;
        if (unread >= hub.maxQueued) return stream.end();
        unread++;
        void written().then(() => unread--);
      };
      const stream: SseStream = {
        send: (message) => write(() => sse.writeSSE({ data: JSON.stringify(message), id: String(message.id) })),
        end() {
          ended = true;
          hub.streams.delete(stream);
          finish();
        },
      };
      // Whatever ends it: the server, the client leaving, too many unread events.
      sse.onAbort(stream.end);
      signal.addEventListener("abort", stream.end, { once: true });
      // How long a reconnecting EventSource waits, once at the start of the stream.
      await sse.write(`retry: ${SSE_RETRY_MS}\n\n`);
      const keepAlive = setInterval(() => write(() => sse.write(": keep-alive\n\n")), hub.keepAliveMs);
      try {
        await catchUp(hub.chat, since.since, (missed) => {
          if (ended || hub.isClosed) return stream.end();
          for (const message of missed) stream.send(message);
          if (!ended) hub.streams.add(stream);
        });
        await finished;
      } catch (error) {
        // Redis away (server/scale-out/redis-broker.ts): end the stream; the client comes back after `retry:`.
        if (!(error instanceof BrokerUnavailableError)) throw error;
      } finally {
        stream.end();
        clearInterval(keepAlive);
      }
    });
  });

  return routes;
}
