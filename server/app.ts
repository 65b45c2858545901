import { Hono, type Context } from "hono";
import { CLASS_PATHS } from "../shared/class-protocol.ts";
import { PATHS, type ErrorBody } from "../shared/protocol.ts";
import type { Chat } from "./chat/chat.ts";
import { ChatBot } from "./chat/chat-bot.ts";
import { refuseWhileLocked, Classroom } from "./class/room-state.ts";
import { teacherRoutes } from "./class/teacher-routes.ts";
import { classFeed } from "./counting/class-feed.ts";
import { countRequests, RequestCounts } from "./counting/traffic-counts.ts";
import { wireDelivery } from "./delivery.ts";
import { LabRuns } from "./lab/lab-runs.ts";
import { labPageRoutes, labRoutes, type PageAssets } from "./lab/lab-routes.ts";
import { requireJson } from "./guard/content-type.ts";
import { hostGuard } from "./guard/host.ts";
import { originGuard } from "./guard/origin.ts";
import { KeyedRateLimiter, rateLimitByAddress, type RateLimit } from "./guard/rate-limit.ts";
import { newTeacherToken, teacherRule } from "./guard/teacher-rule.ts";
import {
  POST_BURST,
  POST_RATE_PER_SECOND,
  SOCKET_MESSAGE_BURST,
  SOCKET_MESSAGES_PER_SECOND,
} from "./limits/input-limits.ts";
import { answerErrors } from "./routes/app-errors.ts";
import { pageRoutes, type ClientAssets } from "./routes/page-routes.ts";
import { statusRoutes } from "./routes/status-routes.ts";
import type { LongPolls, LongPollOptions } from "./transports/long-poll.ts";
import { longPollRoutes } from "./transports/long-poll.ts";
import { messageRoutes } from "./transports/messages.ts";
import { socketEvents, type SendText, type SocketHub, type SocketUpgrader } from "./transports/socket-hub.ts";
import { sseRoutes, type SseOptions, type SseStreams } from "./transports/sse-streams.ts";

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
  /** The lab (/lab, clients/lab/): its own bundle, with the editor, built only when the lab is first opened. */
  labAssets?: () => Promise<PageAssets>;
  /** The client's address for the per-address POST and socket limits, from the edge's connection ("local" if none). */
  clientAddress?: (c: Context) => string;
  /** The clock (milliseconds since the epoch) for GET /time and the rate limits; Date.now by default. */
  now?: () => number;
  /** Hold time and limit of `GET /messages/wait` (LONG_POLL_TIMEOUT_MS, MAX_HELD_LONG_POLLS by default). */
  longPoll?: LongPollOptions;
  /** Keep-alive and limits of `GET /events` (SSE_KEEP_ALIVE_MS, MAX_EVENT_STREAMS, MAX_QUEUED_EVENTS by default). */
  sse?: SseOptions;
  /** Origins allowed to open /ws besides the server's own (server/guard/origin.ts); node-main.ts reads ALLOWED_ORIGINS. */
  allowedOrigins?: readonly string[];
  /** Which hosts (a `Host` header's name) the server serves; others get 421 (server/guard/host.ts). Default: any. */
  servesHost?: (hostname: string) => boolean;
  /** POST /messages per client address; POST_RATE_PER_SECOND / POST_BURST by default. */
  postLimit?: RateLimit;
  /** Chat frames per client address, all its sockets together; SOCKET_MESSAGES_PER_SECOND / SOCKET_MESSAGE_BURST. */
  socketLimit?: RateLimit;
  /** The teacher's secret (server/guard/teacher-rule.ts); a random one by default, read back from ChatApp. */
  teacherToken?: string;
  /** This process's CPU time in microseconds, for the class view's CPU %; the edge's (process.cpuUsage on Node). */
  cpuMicros?: () => number;
  /** The addresses other machines in the room can open, for GET /room (the runtime knows its interfaces and port). */
  roomUrls?: () => string[];
  /** The same over TLS (`https://…`), when the edge serves it too: the class view opened over HTTPS shows these. */
  secureRoomUrls?: () => string[];
}

export interface ChatApp {
  app: Hono;
  chat: Chat;
  /** The transports that hold clients (server/delivery.ts); `shutdown()` answers, ends or closes them all. */
  hub: SocketHub;
  longPolls: LongPolls;
  sseStreams: SseStreams;
  bot: ChatBot;
  stats: RequestCounts;
  /** Sending locked or not, which chat this is: what the teacher's controls change. */
  classroom: Classroom;
  /** The lab's runs, judged from the wire (server/lab/). */
  lab: LabRuns;
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
 * Read it top to bottom: the parts, then the routes in the order a request meets them.
 */
export function createApp(options: AppOptions): ChatApp {
  const { chat, now = Date.now } = options;
  const stats = options.stats ?? new RequestCounts();
  const bot = new ChatBot(chat);
  const delivery = wireDelivery(chat, options); // every stored message, to every waiting client
  const { hub, longPolls, sseStreams } = delivery;
  const clientAddress = options.clientAddress ?? (() => "local");
  const teacherToken = options.teacherToken ?? newTeacherToken();
  const isTeacher = teacherRule(teacherToken, clientAddress);
  // The class view reads what the stats count per transport (server/counting/; bytes where the edge counts them).
  const classroom = new Classroom(chat, bot, () => stats.byTransport());
  const allowOrigin = originGuard(options.allowedOrigins ?? []);
  const limiter = (limit: RateLimit | undefined, perSecond: number, burst: number) =>
    new KeyedRateLimiter(limit ?? { perSecond, burst }, now);

  const app = new Hono();

  // Before every route, /ws too (it only reads the Host header): a host the server does not serve is DNS rebinding.
  if (options.servesHost) app.use(hostGuard(options.servesHost));
  // The socket route comes first and alone: middleware that touches headers would break the upgrade.
  const socketLimiter = limiter(options.socketLimit, SOCKET_MESSAGES_PER_SECOND, SOCKET_MESSAGE_BURST);
  const postRefusal = (c: Context) => () => classroom.refusal(isTeacher(c)); // the lock, on each frame
  // The lab's code may open sockets from its sandboxed frame, for a live run only; its sockets are watched (lab/).
  const lab = new LabRuns(chat, stats, now);
  const events = lab.watchSockets(socketEvents(chat, hub, socketLimiter, clientAddress, postRefusal, isTeacher));
  const upgrade = options.upgradeWebSocket?.(events);
  app.get(PATHS.socket, lab.socketOrigin(allowOrigin), ...(upgrade ? [upgrade] : []), (c) =>
    c.json<ErrorBody>(
      { error: "this route speaks WebSocket: send an Upgrade: websocket request", code: "upgrade-required" },
      426,
    ),
  );
  // The class view's own numbers: before the counting, so asking for them is not counted (class-feed.ts).
  // The address students open (/class shows it as text and QR code): the first LAN URL the edge knows.
  const joinUrl = (secure: boolean) => (secure ? options.secureRoomUrls : options.roomUrls)?.()[0];
  const feed = { classroom, bot, now, cpuMicros: options.cpuMicros, joinUrl, boot: stats.panes.boot };
  app.get(CLASS_PATHS.numbers, classFeed(feed));
  // Each lab run's requests, recorded, whatever the route (lab/); the lab page's own routes, uncounted like the feed.
  app.use("*", lab.recorder());
  app.route("/", labRoutes(lab, allowOrigin, isTeacher));
  app.use("*", countRequests(stats, longPolls, clientAddress));

  // Every state-changing route: the page's own origin (or a listed one), and JSON, which a foreign page cannot send
  // without a preflight this server never answers; then the teacher's rule where it applies (teacher-routes.ts).
  const postLimiter = limiter(options.postLimit, POST_RATE_PER_SECOND, POST_BURST);
  const lock = refuseWhileLocked(classroom, isTeacher);
  const rate = rateLimitByAddress(postLimiter, clientAddress);
  app.route(PATHS.messages, messageRoutes(chat, { origin: allowOrigin, lock, rate, isTeacher }));
  // Held connections cost the server: a foreign page must not make its visitors hold them open.
  app.use(PATHS.wait, allowOrigin);
  app.use(PATHS.events, allowOrigin);
  app.route(PATHS.wait, longPollRoutes(longPolls));
  app.route(PATHS.events, sseRoutes(sseStreams));
  for (const path of [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat])
    app.post(path, allowOrigin, requireJson());
  app.route("/", teacherRoutes(bot, classroom, isTeacher));
  const room = () => ({
    locked: classroom.locked,
    chatNumber: classroom.chatNumber,
    chatFirstId: classroom.chatFirstId,
  });
  app.route("/", statusRoutes({ chat, stats, delivery, now, roomUrls: options.roomUrls, room }));
  if (options.assets) app.route("/", pageRoutes(options.assets));
  if (options.labAssets) app.route("/", labPageRoutes(options.labAssets));
  answerErrors(app);

  const shutdownTasks = new Set<() => void | Promise<void>>(delivery.all.map((transport) => () => transport.close()));
  return {
    ...{ app, chat, hub, longPolls, sseStreams, bot, stats, classroom, lab, teacherToken },
    onShutdown: (task) => void shutdownTasks.add(task),
    async shutdown() {
      bot.stop();
      await Promise.allSettled([...shutdownTasks].map((task) => task()));
    },
  };
}
