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
}

/** What a client sends to post a message: the body of `POST /messages`, or a WebSocket text frame. */
export interface NewMessage {
  user: string;
  text: string;
}

/** Frames the server sends on `/ws`. */
export type ServerFrame =
  | { type: "history"; messages: Message[] }
  | { type: "message"; message: Message }
  | { type: "error"; error: string }
  /** Sent every HEARTBEAT_INTERVAL_MS (server/guard/limits.ts): a browser cannot see pings, so silence means a dead link. */
  | { type: "heartbeat" };

/**
 * First frame on `/ws?handshake` only: the upgrade request as the server read it and the response lines it wrote,
 * which a browser cannot see for itself. The page's handshake panel asks for it; the chat clients never do.
 */
export interface HandshakeFrame {
  type: "handshake";
  request: string[];
  response: string[];
}

/** The query parameter that asks `/ws` for a HandshakeFrame. */
export const HANDSHAKE_PARAM = "handshake";

/** Body of every error response (HTTP 4xx/5xx). */
export interface ErrorBody {
  error: string;
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
  /** `{ broker: "ok" | "degraded" }`: 200 when this instance reaches the others (always, in one process), else 503. */
  health: "/health",
} as const;
