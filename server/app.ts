import { Hono, type Context } from "hono";
import { PATHS, type ErrorBody, type HealthBody, type RoomBody, type TimeBody } from "../shared/protocol.ts";
import { SINGLE_PANE_PAGES } from "../shared/transports.ts";
import { BrokerUnavailableError } from "./chat/broker.ts";
import type { Chat } from "./chat/chat.ts";
import { NotStoredError } from "./chat/message-store.ts";
import { ChatBot } from "./chat/chat-bot.ts";
import { sseRoutes, SseStreams, type SseOptions } from "./transports/sse.ts";
import { longPollRoutes, LongPolls, type LongPollOptions } from "./transports/long-poll.ts";
import { messageRoutes } from "./transports/messages.ts";
import { SocketHub, socketEvents, type SendText, type SocketUpgrader } from "./transports/socket.ts";
import { countRequests, RequestCounts } from "./traffic-counts.ts";
import { POST_BURST, POST_RATE_PER_SECOND } from "./guard/limits.ts";
import { originGuard } from "./guard/origin.ts";
import { KeyedRateLimiter, rateLimitByAddress, type RateLimit } from "./guard/rate-limit.ts";

/** The browser page, bundled from clients/page/ by the runtime edge (server/node/client-assets.ts). */
export interface ClientAssets {
  html: string;
  css: string;
  js: string;
}

export interface AppOptions {
  chat: Chat;
  /** Where requests are counted; the Node edge passes its TrafficStats, which also counts TCP bytes. */
  stats?: RequestCounts;
  /** The runtime's WebSocket upgrade helper (@hono/node-server's, hono/deno's); without it /ws answers 426. */
  upgradeWebSocket?: SocketUpgrader;
  /** How the hub sends a broadcast's frame to one socket; the socket's own `send` by default. */
  sendText?: SendText;
  /** The browser clients, asked for once, on the first page request; without them the pages are 404. */
  assets?: () => Promise<ClientAssets>;
  /** The client's address for the per-address POST limit, from the edge's connection ("local" if none). */
  clientAddress?: (c: Context) => string;
  /** The clock (milliseconds since the epoch) for GET /time and the rate limits; Date.now by default. */
  now?: () => number;
  /** Hold time and limit of `GET /messages/wait` (LONG_POLL_TIMEOUT_MS, MAX_HELD_LONG_POLLS by default). */
  longPoll?: LongPollOptions;
  /** Keep-alive and limits of `GET /events` (SSE_KEEP_ALIVE_MS, MAX_EVENT_STREAMS, MAX_QUEUED_EVENTS by default). */
  sse?: SseOptions;
  /** Origins allowed to open /ws besides the server's own (server/guard/origin.ts); main.ts reads ALLOWED_ORIGINS. */
  allowedOrigins?: readonly string[];
  /** POST /messages per client address; POST_RATE_PER_SECOND / POST_BURST by default. */
  postLimit?: RateLimit;
  /** Chat frames per socket; SOCKET_MESSAGES_PER_SECOND / SOCKET_MESSAGE_BURST by default. */
  socketLimit?: RateLimit;
  /** The addresses other machines in the room can open, for GET /room (the runtime knows its interfaces and port). */
  roomUrls?: () => string[];
}

export interface ChatApp {
  app: Hono;
  chat: Chat;
  hub: SocketHub;
  /** Held long polls and open event streams; `shutdown()` answers the polls with `[]` and ends the streams. */
  longPolls: LongPolls;
  sseStreams: SseStreams;
  bot: ChatBot;
  stats: RequestCounts;
  /**
   * Registers work for a graceful shutdown (answer held long polls, end streams, close sockets);
   * `shutdown()` runs it all. Transports that hold connections register here.
   */
  onShutdown(task: () => void | Promise<void>): void;
  shutdown(): Promise<void>;
}

/**
 * The whole server as a plain Hono app: web-standard Request in, Response out, no port opened, nothing of a runtime:
 * the edge (server/node/, server/deno/) injects the WebSocket upgrade, the client's address and the assets.
 */
export function createApp(options: AppOptions): ChatApp {
  const { chat, now = Date.now } = options;
  const stats = options.stats ?? new RequestCounts();
  const hub = new SocketHub(options.sendText);
  const bot = new ChatBot(chat);
  let assets: Promise<ClientAssets> | undefined;
  const clientAssets = options.assets && (() => (assets ??= options.assets!()));
  chat.subscribe((message) => hub.broadcast(message));
  const longPolls = new LongPolls(chat, options.longPoll);
  const sseStreams = new SseStreams(chat, options.sse);
  const shutdownTasks = new Set<() => void | Promise<void>>([
    () => longPolls.close(),
    () => sseStreams.close(),
    () => hub.close(),
  ]);
  const allowOrigin = originGuard(options.allowedOrigins ?? []);
  const postLimit = options.postLimit ?? { perSecond: POST_RATE_PER_SECOND, burst: POST_BURST };
  const postLimiter = new KeyedRateLimiter(postLimit, now);

  const app = new Hono();

  // The socket route comes first and alone: middleware that touches headers would break the upgrade.
  const upgrade = options.upgradeWebSocket?.(socketEvents(chat, hub, options.socketLimit, now));
  app.get(PATHS.socket, allowOrigin, ...(upgrade ? [upgrade] : []), (c) =>
    c.json<ErrorBody>({ error: "this route speaks WebSocket: send an Upgrade: websocket request" }, 426),
  );

  app.use("*", countRequests(stats, longPolls));

  app.post(PATHS.messages, rateLimitByAddress(postLimiter, options.clientAddress ?? (() => "local")));
  app.route(PATHS.messages, messageRoutes(chat));
  // Held connections cost the server: a foreign page must not make its visitors hold them open.
  app.use(PATHS.wait, allowOrigin);
  app.use(PATHS.events, allowOrigin);
  app.route(PATHS.wait, longPollRoutes(longPolls));
  app.route(PATHS.events, sseRoutes(sseStreams));

  app.get(PATHS.time, (c) => c.json<TimeBody>({ now: now() }));
  app.get(PATHS.room, (c) => c.json<RoomBody>({ urls: options.roomUrls?.() ?? [] }));
  app.get(PATHS.health, (c) => {
    const broker = chat.broker.health();
    return c.json<HealthBody>({ broker }, broker === "ok" ? 200 : 503);
  });
  app.get(PATHS.stats, (c) =>
    c.json({
      ...stats.snapshot(),
      openSockets: hub.sockets.size,
      heldLongPolls: longPolls.held.size,
      openEventStreams: sseStreams.streams.size,
    }),
  );

  app.get("/bot", (c) => c.json({ rate: bot.rate }));
  app.post("/bot", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { rate?: unknown } | null;
    try {
      bot.setRate(typeof body?.rate === "number" ? body.rate : NaN);
    } catch (error) {
      return c.json<ErrorBody>({ error: (error as Error).message }, 400);
    }
    return c.json({ rate: bot.rate });
  });

  if (clientAssets) {
    for (const page of ["/", ...SINGLE_PANE_PAGES.keys()]) {
      app.get(page, async (c) => c.html((await clientAssets()).html));
    }
    app.get("/app.js", async (c) => {
      c.header("content-type", "text/javascript; charset=utf-8");
      return c.body((await clientAssets()).js);
    });
    app.get("/style.css", async (c) => {
      c.header("content-type", "text/css; charset=utf-8");
      return c.body((await clientAssets()).css);
    });
  }

  app.all(PATHS.messages, (c) => c.json<ErrorBody>({ error: `${c.req.method} is not allowed on ${PATHS.messages}` }, 405));
  app.notFound((c) => c.json<ErrorBody>({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    // Redis unreachable: nothing was stored or read; 503 tells the client to try again, not that it erred.
    if (error instanceof BrokerUnavailableError) return c.json<ErrorBody>({ error: error.message }, 503);
    if (error instanceof NotStoredError) return c.json<ErrorBody>({ error: error.message }, 500); // disk full
    console.error(error);
    return c.json<ErrorBody>({ error: "internal server error" }, 500);
  });

  return {
    app,
    chat,
    hub,
    longPolls,
    sseStreams,
    bot,
    stats,
    onShutdown: (task) => void shutdownTasks.add(task),
    async shutdown() {
      bot.stop();
      await Promise.allSettled([...shutdownTasks].map((task) => task()));
    },
  };
}
