import type { Writable } from "node:stream";
import type { Context } from "hono";
import type { UpgradeWebSocket, WSEvents } from "hono/ws";
import { WebSocket } from "ws";
import type { Message, ServerFrame } from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import { catchUp } from "../chat/catch-up.ts";
import { SLOW_CONSUMER_BYTES, SOCKET_MESSAGE_BURST, SOCKET_MESSAGES_PER_SECOND } from "../guard/limits.ts";
import { TokenBucket, type RateLimit } from "../guard/rate-limit.ts";
import { textFrame } from "../node/text-frame.ts";
import { parseNewMessage, parseSince } from "../guard/validation.ts";

/** Close codes from RFC 6455 §7.4.1 that this route uses. */
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;

const encode = (frame: ServerFrame): string => JSON.stringify(frame);

/**
 * The lesson's `const sockets = new Set<WebSocket>()`, and the broadcast loop over it.
 * A message is encoded once, into one whole frame, and the same bytes go to every socket.
 */
export class SocketHub {
  readonly sockets = new Set<WebSocket>();
  /** Each socket's TCP connection, where the runtime edge knows it (node-server.ts, from `ws`'s `connection` event). */
  private readonly connections = new WeakMap<WebSocket, Writable>();

  /** Lets broadcasts write the pre-built frame straight to this socket's connection. */
  attachConnection(socket: WebSocket, connection: Writable): void {
    this.connections.set(socket, connection);
  }

  broadcast(message: Message): void {
    const payload = Buffer.from(encode({ type: "message", message }));
    let frame: Buffer | undefined;
    for (const socket of this.sockets) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      const connection = this.connections.get(socket);
      // One write of header + payload per socket, not `send`'s header and payload corked into a writev: ~5–10 % off a
      // broadcast (1000 sockets: 14.7 → 13.3–14.2 ms here); what is left is the system call (README ## Benchmark).
      // Safe only because `ws` then holds no frame back: it does so only while compressing (no extension is
      // negotiated here, which `extensions === ""` checks) or reading a Blob (this server sends none), so every
      // frame reaches the connection in the order it was sent and `bufferedAmount` still counts these bytes.
      if (connection && socket.extensions === "") connection.write((frame ??= textFrame(payload)));
      else socket.send(payload, { binary: false });
      if (socket.bufferedAmount > SLOW_CONSUMER_BYTES) this.dropSlowConsumer(socket);
    }
  }

  /** A client that stopped reading gets nothing more (its buffer stops growing) and a 1013 to read if it wakes. */
  dropSlowConsumer(socket: WebSocket): void {
    this.sockets.delete(socket);
    socket.close(CLOSE_TRY_AGAIN_LATER, "too slow: stopped reading, reconnect to catch up");
  }
}

/**
 * `/ws[?since=id]`: on open, the history after `since`; then every new message; a `{ user, text }` frame posts.
 * The history is read after the socket has joined, and live messages that race it are merged into it (catch-up.ts),
 * so a reconnecting client gets each message exactly once.
 */
export function socketEvents(
  chat: Chat,
  hub: SocketHub,
  onUpgrade: () => void = () => {},
  limit: RateLimit = { perSecond: SOCKET_MESSAGES_PER_SECOND, burst: SOCKET_MESSAGE_BURST },
) {
  return (c: Context): WSEvents<WebSocket> => {
    const since = parseSince(c.req.query("since"));
    const bucket = new TokenBucket(limit);
    let socket: WebSocket | undefined;

    const send = (frame: ServerFrame) => socket?.readyState === WebSocket.OPEN && socket.send(encode(frame));

    return {
      async onOpen(_event, ws) {
        socket = ws.raw!;
        onUpgrade();
        if (!since.ok) return ws.close(1008, since.error);
        const joining = socket;
        await catchUp(chat, since.since, (missed) => {
          send({ type: "history", messages: missed });
          if (joining.readyState === WebSocket.OPEN) hub.sockets.add(joining); // not if it closed while we read
        }).catch(() => ws.close(CLOSE_TRY_AGAIN_LATER, "history unavailable (broker down); reconnect shortly"));
      },
      async onMessage(event, ws) {
        if (!bucket.take()) {
          send({ type: "error", error: `too many messages: at most ${limit.perSecond} per second` });
          return ws.close(CLOSE_POLICY_VIOLATION, "rate limit");
        }
        if (typeof event.data !== "string") {
          return ws.close(CLOSE_UNSUPPORTED_DATA, "binary frames are not supported; send JSON text");
        }
        const parsed = parseNewMessage(event.data, "frame");
        if (!parsed.ok) return send({ type: "error", error: parsed.error });
        // A store that fails (Redis down, disk full) answers this socket; it must not crash the process.
        await chat.post(parsed.message).catch(() => send({ type: "error", error: "message not stored; try again" }));
      },
      onClose() {
        if (socket) hub.sockets.delete(socket);
      },
    };
  };
}

export type SocketUpgrader = UpgradeWebSocket<WebSocket>;
