/**
 * The chat's wire format, shared by the server, the browser clients and the bench.
 * Everything that crosses the network is one of these shapes, encoded as JSON.
 */

/** A stored chat message. `id` strictly increases; `sentAt` is the server's clock (ms since epoch) when stored. */
export interface Message {
  id: number;
  user: string;
  text: string;
  sentAt: number;
  /** Set by the server only: its own messages and the teacher's (absent: a student's, whatever its `user`). */
  from?: Sender;
}

/** Who a message is from, as the server marks it: never read from a client's body or frame. */
export type Sender = "server" | "teacher";

/** What a client sends to post a message: the body of `POST /messages`, or a WebSocket text frame. */
export interface NewMessage {
  user: string;
  text: string;
}

/** A message to store: what a client sent, and the mark only the server sets (server/guard/validation.ts drops it). */
export interface MessageToStore extends NewMessage {
  from?: Sender;
}

/**
 * The epoch of the server's history: a random id made when the history starts (a server started with `--memory`, a
 * new log file, a Redis that lost its data) and kept with it. Ids count up within one epoch and start again in a new
 * one, so a client sends the epoch its `since` counts in (`?since=7&epoch=…`), and a `since` from another epoch gets
 * the history from its start. Answers say their epoch: this header (GET /messages, /messages/wait, POST's 201), the
 * socket's first frame (EpochFrame), and each SSE event's `id: <epoch>-<message id>`.
 */
export const EPOCH_HEADER = "Chat-Epoch";
export const EPOCH_PARAM = "epoch";

/**
 * Frames the server sends on `/ws`, told apart by their shape. The frame is the message: a chat message goes out as
 * the Message itself (`JSON.parse(event.data)` is the message, as the lesson's `connect()` shows it), the history
 * after `?since=` too, one message a frame. The other kinds have no `id`:
 */
export type ServerFrame = Message | EpochFrame | ErrorFrame | HeartbeatFrame;

/**
 * First frame on every socket, before its history: the epoch its ids count in (`?epoch=` is not this history's: the
 * history comes from its start). Sent once a connection: a new epoch closes every socket (1012), which reconnects.
 */
export interface EpochFrame {
  epoch: string;
}

/** A frame the server refused, or a post it could not store. */
export interface ErrorFrame {
  error: string;
  code: ErrorCode;
}

/** Sent every HEARTBEAT_INTERVAL_MS (server/limits/waiting-limits.ts): a browser cannot see pings, so silence means a dead link. */
export interface HeartbeatFrame {
  heartbeat: true;
}

/** A chat message (a frame with an `id`), not an epoch, error or heartbeat. */
export const isMessageFrame = (frame: ServerFrame): frame is Message => "id" in frame;

/**
 * First frame on `/ws?handshake` only: the upgrade request as the server read it and the response lines it wrote,
 * which a browser cannot see for itself. The page's handshake panel asks for it; the chat clients never do.
 */
export interface HandshakeFrame {
  request: string[];
  response: string[];
}

/** The query parameter that asks `/ws` for a HandshakeFrame. */
export const HANDSHAKE_PARAM = "handshake";

/**
 * The query parameter a pane adds to every request, socket and stream URL it opens: `?p=<pane id>.<transport id>`, a
 * few random characters made by the page (clients/page/pane/meter.ts). It is on the wire, so it is counted like the rest;
 * the server uses it only to attribute each exchange's bytes to its pane (server/counting/pane-traffic.ts), never to route.
 */
export const PANE_PARAM = "p";

/**
 * What the server counted for one pane, or for all panes of one transport, at its TCP sockets: headers, chunk
 * framing, upgrades, frames and events included. `bytesIn` is what the server read (the pane's bytes sent),
 * `bytesOut` what it wrote (the pane's bytes received). Counters only grow.
 */
export interface TrafficTotals {
  requests: number;
  emptyAnswers: number;
  bytesIn: number;
  bytesOut: number;
}

/** Body of `GET /stats/pane/<pane id>`: one pane's totals, read back by the pane itself; the reading is not counted. */
export interface PaneTotalsBody extends TrafficTotals {
  transport: string;
  /** False where the runtime does not count bytes at its sockets (Deno): the byte figures are then not measured. */
  bytesCounted: boolean;
  /** A request of this pane came through something that rewrites traffic (a proxy: Via, Forwarded, X-Forwarded-*,
   * or a Host whose port is not the one the server listens on): the bytes are as the server saw them. */
  proxied: boolean;
  /** The client ports of the TCP connections its exchanges used (the latest few), to match it with a capture. */
  ports: number[];
  /** The server process's id for these counts: a new one after a restart, when they start again from zero. */
  boot: string;
  /** The room as the teacher set it (server/class/classroom.ts), so every pane shows it without a request of its own. */
  room?: PaneRoom;
}

/** What a pane shows of the teacher's controls: a lock on sending, and the latest new chat. */
export interface PaneRoom {
  locked: boolean;
  /** Goes up with each new chat (starts at 0 with each server process). */
  chatNumber: number;
  /** The id of the new chat's first message: what a pane shows from before it belongs to the old chat. */
  chatFirstId: number;
}

/**
 * What went wrong, for a program: the page words each code in its reader's language (clients/page/i18n.ts,
 * `error.<code>`), while `error` stays an English sentence for a person with curl.
 */
export const ERROR_CODES = [
  "bad-message",
  "empty-user",
  "bad-name",
  "user-too-long",
  "empty-text",
  "text-too-long",
  "too-large",
  "bad-request",
  "rate-limited",
  "locked",
  "teacher-only",
  "origin-refused",
  "server-busy",
  "broker-unavailable",
  "not-stored",
  "not-found",
  "upgrade-required",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Body of every error response (HTTP 4xx/5xx). */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
}

/** Body of `GET /health`. "degraded": the broker (Redis) is unreachable; this instance still serves its own clients. */
export interface HealthBody {
  broker: "ok" | "degraded";
}

/** Body of `GET /time`, used by clients to measure their clock offset from the server. */
export interface TimeBody {
  now: number;
}

/** Body of `GET /room`: the addresses other machines in the room can open, e.g. `http://192.168.1.20:8000/`. */
export interface RoomBody {
  urls: string[];
}

/** Limits every transport applies to what a client sends. */
export const MAX_TEXT_LENGTH = 500;
export const MAX_USER_LENGTH = 32;

/** Paths, so that server, clients and bench cannot drift apart. */
export const PATHS = {
  messages: "/messages",
  /** Long polling: held until a message newer than `?since=` exists. */
  wait: "/messages/wait",
  /** Server-Sent Events: one `text/event-stream` response that never ends on its own. */
  events: "/events",
  socket: "/ws",
  time: "/time",
  room: "/room",
  stats: "/stats",
  /** `GET /stats/pane/<pane id>`: a pane's own totals (PaneTotalsBody); these readings are left out of every count. */
  paneStats: "/stats/pane",
  /** `{ broker: "ok" | "degraded" }`: 200 when this instance reaches the others (always, in one process), else 503. */
  health: "/health",
} as const;
