import type { Context } from "hono";
import type { UpgradeWebSocket, WSContext, WSEvents } from "hono/ws";
import { EPOCH_PARAM, type Message, type ServerFrame } from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import { catchUp } from "../chat/catch-up.ts";
import { Emitter } from "../chat/emitter.ts";
import { SLOW_CONSUMER_BYTES } from "../limits/waiting-limits.ts";
import type { KeyedRateLimiter } from "../guard/rate-limit.ts";
import { markSender } from "../guard/teacher-rule.ts";
import { parseNewMessage, parseSince } from "../guard/validation.ts";
import type { WaitingClients } from "./waiting-clients.ts";

/** Close codes from RFC 6455 §7.4.1 that this route uses. */
const CLOSE_GOING_AWAY = 1001;
/** 1012 "Service Restart" (IANA registry): the history started again; the client reconnects and catches up. */
export const CLOSE_NEW_HISTORY = 1012;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** WebSocket.OPEN, the same number on every runtime. */
const OPEN = 1;

/**
 * What the hub needs of the runtime's own socket (`ws` on Node, the web WebSocket on Deno): the bytes it has not
 * sent yet, to tell a client that stopped reading.
 */
interface RuntimeSocket {
  readonly bufferedAmount: number;
}
/** One open socket as Hono hands it to the route, whatever the runtime. */
export type Socket = WSContext<RuntimeSocket>;
/** How a text frame reaches one socket: its own `send` by default; the Node edge may pass a faster one. */
export type SendText = (socket: Socket, text: string) => void;
/** The runtime's WebSocket upgrade helper, injected by the edge (server/node/, server/deno/). */
export type SocketUpgrader = UpgradeWebSocket<RuntimeSocket>;

interface SocketHubEvents {
  /** A broadcast is about to start (the bench reads its CPU clock here). */
  broadcasting: { sockets: number };
  /** A broadcast is done: to how many sockets, in how many microseconds (wall time). */
  broadcast: { sockets: number; micros: number };
}

const encode = (frame: ServerFrame): string => JSON.stringify(frame);

/** The lesson's `const sockets = new Set<WebSocket>()`, and the broadcast loop over it. */
export class SocketHub implements WaitingClients {
  readonly sockets = new Set<Socket>();
  readonly events = new Emitter<SocketHubEvents>();
  private closed = false;

  /** `send`: the socket's own by default; on Node, pre-built frames (server/node/prebuilt-frames.ts, measured). */
  constructor(private readonly send: SendText = (socket, text) => socket.send(text)) {}

  /** Each stored message (server/delivery.ts): the lesson's broadcast. */
  deliver(message: Message): void {
    this.broadcast(message);
  }

  /** The broadcast loop: one frame, encoded once, to every socket. */
  broadcast(message: Message): void {
    const sockets = this.sockets.size;
    this.events.emit("broadcasting", { sockets });
    const started = performance.now();
    const frame = encode(message); // the frame is the message
    for (const socket of this.sockets) {
      this.send(socket, frame);
      if ((socket.raw?.bufferedAmount ?? 0) > SLOW_CONSUMER_BYTES) this.dropSlowConsumer(socket);
    }
    this.events.emit("broadcast", { sockets, micros: Math.round((performance.now() - started) * 1000) });
  }

  /** A client that stopped reading gets nothing more (its buffer stops growing) and a 1013 to read if it wakes. */
  dropSlowConsumer(socket: Socket): void {
    this.sockets.delete(socket);
    socket.close(CLOSE_TRY_AGAIN_LATER, "too slow: stopped reading, reconnect to catch up");
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * A new history (a Redis that lost its data): every socket is closed with 1012 and reconnects with its old epoch,
   * which gets the new history from its start (catch-up.ts).
   */
  restart(): void {
    for (const socket of this.sockets) socket.close(CLOSE_NEW_HISTORY, "the chat's history started again; reconnect");
    this.sockets.clear();
  }

  /** Graceful shutdown: every socket is closed with 1001, and one still catching up is closed when it would join. */
  close(): void {
    this.closed = true;
    for (const socket of this.sockets) socket.close(CLOSE_GOING_AWAY, "server is shutting down");
  }
}

/**
 * `/ws[?since=id&epoch=…]`: on open, the epoch (`{ epoch }`) and the history after `since`, a message a frame; then
 * every new message, each frame the message itself; a `{ user, text }` frame posts. The history is read after the
 * socket has joined, and live messages that race it are merged into it (catch-up.ts), so a reconnecting client gets
 * each message exactly once. Frames are limited per client address (`limiter`, shared by all the sockets), so opening
 * more sockets does not buy more messages.
 */
export function socketEvents(
  chat: Chat,
  hub: SocketHub,
  limiter: KeyedRateLimiter,
  clientAddress: (c: Context) => string,
  /** Why this socket may not post now (the teacher's lock: server/class/room-state.ts), asked on each frame. */
  postRefusal: (c: Context) => () => string | undefined = () => () => undefined,
  /** The teacher's rule: the teacher's frames are marked `from: "teacher"` by the server. */
  isTeacher: (c: Context) => boolean = () => false,
) {
  return (c: Context): WSEvents<RuntimeSocket> => {
    const since = parseSince(c.req.query("since"), c.req.query(EPOCH_PARAM));
    const address = clientAddress(c);
    const refusal = postRefusal(c);
    const teacher = isTeacher(c);

    const send = (ws: Socket, frame: ServerFrame) => ws.readyState === OPEN && ws.send(encode(frame));

    return {
      async onOpen(_event, ws) {
        if (!since.ok) return ws.close(CLOSE_POLICY_VIOLATION, since.error);
        await catchUp(chat, since.since, since.epoch, ({ epoch, messages }) => {
          if (hub.isClosed) return ws.close(CLOSE_GOING_AWAY, "server is shutting down");
          send(ws, { epoch }); // once a connection: what the ids count in
          for (const message of messages) send(ws, message);
          if (ws.readyState === OPEN) hub.sockets.add(ws); // not if it closed while we read
        }).catch(() => ws.close(CLOSE_TRY_AGAIN_LATER, "history unavailable (broker down); reconnect shortly"));
      },
      async onMessage(event, ws) {
        if (limiter.take(address) > 0) {
          send(ws, { error: `too many messages: at most ${limiter.limit.perSecond} per second`, code: "rate-limited" });
          return ws.close(CLOSE_POLICY_VIOLATION, "rate limit");
        }
        if (typeof event.data !== "string") {
          return ws.close(CLOSE_UNSUPPORTED_DATA, "binary frames are not supported; send JSON text");
        }
        const parsed = parseNewMessage(event.data, "frame");
        if (!parsed.ok) return send(ws, { error: parsed.error, code: parsed.code });
        const refused = refusal();
        if (refused) return send(ws, { error: refused, code: "locked" });
        // A store that fails (Redis down, disk full) answers this socket; it must not crash the process.
        await chat
          .post(markSender(parsed.message, teacher))
          .catch(() => send(ws, { error: "message not stored; try again", code: "not-stored" }));
      },
      onClose(_event, ws) {
        hub.sockets.delete(ws);
      },
    };
  };
}
