import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import {
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_HEADER_BYTES,
  MAX_OPEN_CONNECTIONS,
  RESERVED_FILE_DESCRIPTORS,
} from "../limits/connection-limits.ts";

export interface ConnectionLimits {
  /** Open connections at once (MAX_OPEN_CONNECTIONS, lowered to fit the `nofile` limit). */
  total: number;
  /** Open connections from one address (MAX_CONNECTIONS_PER_ADDRESS). */
  perAddress: number;
  /** Bytes on the wire of one request head (MAX_HEADER_BYTES). */
  headerBytes: number;
}

/**
 * The process's soft `nofile` limit, from /proc (Linux), or undefined where it cannot be read. Node raises the soft
 * limit to the hard one itself when it starts (src/node.cc), so there is nothing left to raise here; `ulimit -n`
 * before `npm start` is the way to a higher hard limit.
 */
export function fileDescriptorLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}

export function defaultConnectionLimits(): ConnectionLimits {
  const descriptors = fileDescriptorLimit();
  const fits = descriptors === undefined ? Infinity : descriptors - RESERVED_FILE_DESCRIPTORS;
  return {
    total: Math.max(1, Math.min(MAX_OPEN_CONNECTIONS, fits)),
    perAddress: MAX_CONNECTIONS_PER_ADDRESS,
    headerBytes: MAX_HEADER_BYTES,
  };
}

const HEAD_END = Buffer.from("\r\n\r\n");
const TOO_LARGE_BODY = JSON.stringify({ error: "request head too large" });
const TOO_LARGE =
  "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\nConnection: close\r\n" +
  `Content-Length: ${Buffer.byteLength(TOO_LARGE_BODY)}\r\n\r\n${TOO_LARGE_BODY}`;

/** Per connection: counting the bytes of a head not yet complete, or not (a request or a WebSocket in progress). */
interface HeadState {
  counting: boolean;
  bytes: number;
  /** The last 3 bytes seen, so a `\r\n\r\n` split across two reads is still found. */
  tail: Buffer;
  refused: boolean;
}

/**
 * The guard at the Node edge, in front of HTTP:
 * - connections past `total`, or past `perAddress` from one address, are destroyed as soon as they are accepted,
 *   before HTTP reads a byte from them, so idle sockets cannot take the descriptors everyone else needs;
 * - a request head is limited by its bytes on the wire: Node's `maxHeaderSize` skips the blanks around header values,
 *   so `X-Pad:` + 20 MB of spaces, or 16,000 `X:` lines, passed it. Over the limit: 431 with a JSON error, closed.
 * `admits(req)` must gate the request listener: a head found too large in the read that also completes it must not
 * reach the app. Counting reads in JS (instead of Node's parser taking them in C++) costs 6–9 % of keep-alive
 * `GET /messages` throughput (3,000 × 4 alternating, guarded vs plain @hono/node-server, load ~7.5 on 2 cores).
 */
export class ConnectionGuard {
  private open = 0;
  private readonly perAddress = new Map<string, number>();
  private readonly heads = new WeakMap<Socket, HeadState>();
  /** Connections refused by the caps, for /stats and tests. */
  refused = 0;

  constructor(private readonly limits: ConnectionLimits = defaultConnectionLimits()) {}

  attach(server: Server): void {
    // First, before http's own listener: a refused connection costs nothing more.
    server.prependListener("connection", (socket: Socket) => this.admitConnection(socket));
    // After http's: adding a "data" listener now makes http hand each read to JS, where it can be counted.
    server.on("connection", (socket: Socket) => {
      if (socket.destroyed) return;
      const state: HeadState = { counting: true, bytes: 0, tail: Buffer.alloc(0), refused: false };
      this.heads.set(socket, state);
      const count = (chunk: Buffer) => this.countHead(socket, state, chunk);
      socket.prependListener("data", count);
      socket.once("close", () => socket.off("data", count));
    });
    // No "upgrade" listener here: @hono/node-server rejects bad upgrades only while it is the sole one.
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const state = this.heads.get(req.socket);
      if (!state) return;
      state.counting = false;
      res.once("finish", () => {
        state.counting = true;
        state.bytes = 0;
      });
    });
  }

  /** False for a request whose head was refused: its connection already got 431. */
  admits(req: IncomingMessage): boolean {
    return !this.heads.get(req.socket)?.refused;
  }

  /** Counts the connection against the caps, or destroys it (also called by the TLS port: https-server.ts). */
  admitConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? "";
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.open >= this.limits.total || fromAddress >= this.limits.perAddress) {
      this.refused++;
      socket.destroy();
      return;
    }
    this.open++;
    this.perAddress.set(address, fromAddress + 1);
    socket.once("close", () => {
      this.open--;
      const left = this.perAddress.get(address)! - 1;
      if (left === 0) this.perAddress.delete(address);
      else this.perAddress.set(address, left);
    });
  }

  /** Runs before http parses the read: counts it up to the head's end, and refuses the connection past the limit. */
  private countHead(socket: Socket, state: HeadState, chunk: Buffer): void {
    if (!state.counting || state.refused) return;
    const seen = Buffer.concat([state.tail, chunk]);
    const end = seen.indexOf(HEAD_END);
    const headBytes = state.bytes - state.tail.length + (end === -1 ? seen.length : end + HEAD_END.length);
    if (headBytes > this.limits.headerBytes) {
      state.refused = true;
      socket.pause();
      socket.end(TOO_LARGE, () => socket.destroy());
      return;
    }
    if (end !== -1) {
      // The rest of this read is a body, the next request (counted once this one is answered) or WebSocket frames
      // (never counted: an upgraded connection gets no answer that would restart the count).
      state.counting = false;
      return;
    }
    state.bytes += chunk.length;
    state.tail = seen.subarray(-3);
  }
}
