import { Hono, type Context } from "hono";
import {
  PATHS,
  type ErrorBody,
  type HealthBody,
  type PaneTotalsBody,
  type RoomBody,
  type TimeBody,
} from "../shared/protocol.ts";
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
import { POST_BURST, POST_RATE_PER_SECOND, SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND } from "./guard/limits.ts";
import { originGuard } from "./guard/origin.ts";
import { KeyedRateLimiter, rateLimitByAddress, type RateLimit } from "./guard/rate-limit.ts";
import { requireJson } from "./guard/content-type.ts";
import { newTeacherToken, teacherRule } from "./guard/teacher.ts";
import { CLASS_PATHS } from "../shared/classroom.ts";
import { Classroom, refuseWhileLocked } from "./class/classroom.ts";
import { classFeed } from "./class/class-feed.ts";
import { teacherRoutes } from "./class/teacher-routes.ts";

/** The browser page, bundled from clients/page/ by the runtime edge (server/node/client-assets.ts). */
export interface ClientAssets {
  html: string;
  css: string;
  js: string;
  /** The class view for the projector (/class), bundled from clients/class/. */
  classPage?: { html: string; css: string; js: string };
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
  /** The client's address for the per-address POST and socket limits, from the edge's connection ("local" if none). */
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
  /** Chat frames per client address, all its sockets together; SOCKET_MESSAGES_PER_SECOND / SOCKET_MESSAGE_BURST. */
  socketLimit?: RateLimit;
  /** The teacher's secret (server/guard/teacher.ts); a random one by default, read back from ChatApp. */
  teacherToken?: string;
  /** This process's CPU time in microseconds, for the class view's CPU %; the edge's (process.cpuUsage on Node). */
  cpuMicros?: () => number;
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
  /** Sending locked or not, which chat this is: what the teacher's controls change. */
  classroom: Classroom;
  /** The secret of the teacher URL `npm start` prints (`/?teacher=<token>`). */
  teacherToken: string;
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
  chat.onNewEpoch(() => hub.reconnectAll());
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
  const socketLimit = options.socketLimit ?? { perSecond: SOCKET_MESSAGES_PER_SECOND, burst: SOCKET_MESSAGE_BURST };
  const socketLimiter = new KeyedRateLimiter(socketLimit, now);
  const clientAddress = options.clientAddress ?? (() => "local");
  const teacherToken = options.teacherToken ?? newTeacherToken();
  const isTeacher = teacherRule(teacherToken, clientAddress);
  // The class view reads what the stats count per transport (server/pane-traffic.ts; bytes where the edge counts them).
  const classroom = new Classroom(chat, bot, () => stats.byTransport());

  const app = new Hono();

  // The socket route comes first and alone: middleware that touches headers would break the upgrade.
  const postRefusal = (c: Context) => () => classroom.refusal(isTeacher(c)); // the lock, on each frame
  const upgrade = options.upgradeWebSocket?.(socketEvents(chat, hub, socketLimiter, clientAddress, postRefusal));
  app.get(PATHS.socket, allowOrigin, ...(upgrade ? [upgrade] : []), (c) =>
    c.json<ErrorBody>(
      { error: "this route speaks WebSocket: send an Upgrade: websocket request", code: "upgrade-required" },
      426,
    ),
  );

  // The class view's own numbers: before the counting, so asking for them is not counted (class-feed.ts).
  // The address students open (/class shows it as text and QR code): the first LAN URL the edge knows.
  const feed = { classroom, bot, now, cpuMicros: options.cpuMicros, joinUrl: () => options.roomUrls?.()[0] };
  app.get(CLASS_PATHS.numbers, classFeed(feed));

  app.use("*", countRequests(stats, longPolls));

  // Every state-changing route: the page's own origin (or a listed one), and JSON, which a foreign page cannot send
  // without a preflight this server never answers; then the teacher's rule where it applies (teacher-routes.ts).
  app.post(PATHS.messages, allowOrigin); // its content type is checked after the body limit (messages.ts)
  for (const path of [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat])
    app.post(path, allowOrigin, requireJson());
  app.post(PATHS.messages, refuseWhileLocked(classroom, isTeacher), rateLimitByAddress(postLimiter, clientAddress));
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

  // A pane reads its own totals back here, once a second, with no `?p=`: the reading is in no pane's count.
  app.get(`${PATHS.paneStats}/:id`, (c) => {
    const totals = stats.paneTotals(c.req.param("id"));
    c.header("Cache-Control", "no-store");
    if (!totals)
      return c.json<ErrorBody>(
        { error: `no request with ?p=${c.req.param("id")}.<transport> seen yet`, code: "not-found" },
        404,
      );
    return c.json<PaneTotalsBody>(totals);
  });

  app.route("/", teacherRoutes(bot, classroom, isTeacher));

  if (clientAssets) {
    for (const page of ["/", ...SINGLE_PANE_PAGES.keys()]) {
      app.get(page, async (c) => c.html((await clientAssets()).html));
    }
    const classPage = async () => (await clientAssets()).classPage ?? { html: "", css: "", js: "" };
    app.get(CLASS_PATHS.page, async (c) => c.html((await classPage()).html));
    // The bundles and style sheets: the chat's (clients/page/) and the class view's (clients/class/).
    const files = [
      ["/app.js", "text/javascript", async () => (await clientAssets()).js],
      ["/style.css", "text/css", async () => (await clientAssets()).css],
      ["/class.js", "text/javascript", async () => (await classPage()).js],
      ["/class.css", "text/css", async () => (await classPage()).css],
    ] as const;
    for (const [path, type, read] of files) {
      app.get(path, async (c) => {
        c.header("content-type", `${type}; charset=utf-8`);
        return c.body(await read());
      });
    }
  }

  app.all(PATHS.messages, (c) =>
    c.json<ErrorBody>({ error: `${c.req.method} is not allowed on ${PATHS.messages}`, code: "bad-request" }, 405),
  );
  app.notFound((c) =>
    c.json<ErrorBody>({ error: `no route for ${c.req.method} ${c.req.path}`, code: "not-found" }, 404),
  );
  app.onError((error, c) => {
    // Redis unreachable: nothing was stored or read; 503 tells the client to try again, not that it erred.
    if (error instanceof BrokerUnavailableError)
      return c.json<ErrorBody>({ error: error.message, code: "broker-unavailable" }, 503);
    if (error instanceof NotStoredError) return c.json<ErrorBody>({ error: error.message, code: "not-stored" }, 500); // disk full
    console.error(error);
    return c.json<ErrorBody>({ error: "internal server error", code: "internal" }, 500);
  });

  return {
    app,
    chat,
    hub,
    longPolls,
    sseStreams,
    bot,
    stats,
    classroom,
    teacherToken,
    onShutdown: (task) => void shutdownTasks.add(task),
    async shutdown() {
      bot.stop();
      await Promise.allSettled([...shutdownTasks].map((task) => task()));
    },
  };
}
