import { readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import type { ErrorBody } from "../../shared/protocol.ts";
import type { TLSSocket } from "node:tls";
import { MAX_BODY_BYTES } from "../limits/input-limits.ts";
import {
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_HEADER_BYTES,
  MAX_OPEN_CONNECTIONS,
  RESERVED_FILE_DESCRIPTORS,
} from "../limits/connection-limits.ts";
import { OWN_MACHINE } from "../guard/teacher-rule.ts";

export interface ConnectionLimits {
  /** Open connections at once (MAX_OPEN_CONNECTIONS, lowered to fit the `nofile` limit). */
  total: number;
  /** Open connections from one address (MAX_CONNECTIONS_PER_ADDRESS); the server's own machine has no such cap. */
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

/** Connections the `nofile` limit leaves room for, beside RESERVED_FILE_DESCRIPTORS (Infinity where it is unknown). */
export function descriptorRoom(): number {
  const descriptors = fileDescriptorLimit();
  return descriptors === undefined ? Infinity : Math.max(1, descriptors - RESERVED_FILE_DESCRIPTORS);
}

export function defaultConnectionLimits(): ConnectionLimits {
  return {
    total: Math.min(MAX_OPEN_CONNECTIONS, descriptorRoom()),
    perAddress: MAX_CONNECTIONS_PER_ADDRESS,
    headerBytes: MAX_HEADER_BYTES,
  };
}

const HEAD_END = Buffer.from("\r\n\r\n");
export const TOO_LARGE_BODY = JSON.stringify({
  error: "request head too large",
  code: "too-large",
} satisfies ErrorBody);
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
  /** Requests answered or upgraded but not finished: a connection with none is idle, the first to go when full. */
  busy: number;
  /** Requests the app has, not yet answered (an upgrade is none), and the bytes read since the last of them began. */
  requests: number;
  after: number;
}

/**
 * The guard at the Node edge, in front of HTTP:
 * - connections past `perAddress` from one address are destroyed as soon as they are accepted, before HTTP reads a
 *   byte from them, so idle sockets cannot take the descriptors everyone else needs;
 * - past `total` the caps are fair: a newcomer from an address holding fewer connections than the biggest holder
 *   takes the place of that holder's oldest idle connection (its oldest, if none is idle), so a few addresses cannot
 *   lock out the room; the server's own machine (the teacher's, server/guard/teacher-rule.ts) always gets in, and has no
 *   per-address cap;
 * - a request head is limited by its bytes on the wire: Node's `maxHeaderSize` skips the blanks around header values,
 *   so `X-Pad:` + 20 MB of spaces, or 16,000 `X:` lines, passed it. Over the limit: 431 with a JSON error, closed.
 * `admits(req)` must gate the request listener: a head found too large in the read that also completes it must not
 * reach the app. Counting reads in JS (instead of Node's parser taking them in C++) costs 6–9 % of keep-alive
 * `GET /messages` throughput (3,000 × 4 alternating, guarded vs plain @hono/node-server, load ~7.5 on 2 cores).
 */
export class ConnectionGuard {
  private open = 0;
  /** Each address's open connections, oldest first (a Set keeps insertion order). */
  private readonly byAddress = new Map<string, Set<Socket>>();
  private readonly heads = new WeakMap<Socket, HeadState>();
  /** Takes a connection off the books at once when it is evicted (its "close" comes later). */
  private readonly releases = new WeakMap<Socket, () => void>();
  /** Connections refused by the caps, and connections closed to make room for a fairer newcomer (tests, /stats). */
  refused = 0;
  evicted = 0;

  constructor(private readonly limits: ConnectionLimits = defaultConnectionLimits()) {}

  attach(server: Server): void {
    // First, before http's own listener: a refused connection costs nothing more.
    server.prependListener("connection", (socket: Socket) => this.admitConnection(socket));
    // After http's: adding a "data" listener now makes http hand each read to JS, where it can be counted.
    server.on("connection", (socket: Socket) => this.watchHeads(socket));
    this.watchRequests(server);
  }

  /**
   * The TLS port (https-server.ts): its HTTP/1.1 connections' heads are counted as the plain port's, after TLS (on
   * "secureConnection", after http2's own listener, which hands an `http/1.1` connection to the HTTP/1.1 parser).
   * HTTP/2 has its own header-list cap (SETTINGS_MAX_HEADER_LIST_SIZE).
   */
  attachSecure(server: EventEmitter): void {
    server.on("secureConnection", (socket: TLSSocket) => socket.alpnProtocol !== "h2" && this.watchHeads(socket));
    this.watchRequests(server);
  }

  private watchHeads(socket: Socket): void {
    if (socket.destroyed) return;
    const state: HeadState = {
      counting: true,
      bytes: 0,
      tail: Buffer.alloc(0),
      refused: false,
      busy: 0,
      requests: 0,
      after: 0,
    };
    this.heads.set(socket, state);
    const count = (chunk: Buffer) => this.countHead(socket, state, chunk);
    socket.prependListener("data", count);
    socket.once("close", () => socket.off("data", count));
  }

  // Not a listener on "upgrade" (@hono/node-server rejects bad upgrades only while it is the sole one): an upgraded
  // connection is busy from its head's end, as the head-counting already notes (countHead).
  private watchRequests(server: EventEmitter): void {
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const state = this.heads.get(req.socket);
      if (!state) return;
      state.counting = false;
      state.requests++;
      state.after = 0;
      res.once("finish", () => {
        state.counting = true;
        state.bytes = 0;
        state.busy = Math.max(0, state.busy - 1);
        state.requests = Math.max(0, state.requests - 1);
      });
    });
  }

  /** False for a request whose head was refused: its connection already got 431. */
  admits(req: { socket: unknown }): boolean {
    return !this.heads.get(req.socket as Socket)?.refused;
  }

  /** Counts the connection against the caps, or destroys it (also called by the TLS port: https-server.ts). */
  admitConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? "";
    const own = OWN_MACHINE.has(address);
    const mine = this.byAddress.get(address);
    const held = mine?.size ?? 0;
    if ((!own && held >= this.limits.perAddress) || (this.open >= this.limits.total && !this.makeRoom(held, own))) {
      this.refused++;
      socket.destroy();
      return;
    }
    this.open++;
    if (mine) mine.add(socket);
    else this.byAddress.set(address, new Set([socket]));
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.open--;
      const left = this.byAddress.get(address);
      left?.delete(socket);
      if (left?.size === 0) this.byAddress.delete(address);
    };
    socket.once("close", release);
    this.releases.set(socket, release);
  }

  /**
   * The room is full: closes the oldest idle connection of the address that holds the most (not the server's own
   * machine), if the newcomer's address holds at least two fewer (so two addresses never take turns evicting each
   * other) or is the server's own machine. False if there is no such holder: the newcomer is refused.
   */
  private makeRoom(held: number, own: boolean): boolean {
    let biggest: Set<Socket> | undefined;
    for (const [address, sockets] of this.byAddress)
      if (!OWN_MACHINE.has(address) && sockets.size > (biggest?.size ?? 0)) biggest = sockets;
    if (!biggest || (!own && biggest.size < held + 2)) return false;
    let victim: Socket | undefined;
    for (const socket of biggest) {
      const state = this.heads.get(socket);
      if (state && state.busy === 0 && state.counting && state.bytes === 0) {
        victim = socket;
        break;
      }
    }
    victim ??= biggest.values().next().value!;
    this.releases.get(victim)?.();
    victim.destroy();
    this.evicted++;
    return true;
  }

  /** Runs before http parses the read: counts it up to the head's end, and refuses the connection past the limit. */
  private countHead(socket: Socket, state: HeadState, chunk: Buffer): void {
    if (state.refused) return;
    if (!state.counting) {
      // A request not yet answered (a held long poll): what comes behind it is its body or the next request, whose
      // head http would read in full meanwhile. Past a body and a head, the connection is closed (an answer now
      // would be taken for the waiting request's).
      if (state.requests > 0 && (state.after += chunk.length) > this.limits.headerBytes + MAX_BODY_BYTES) {
        state.refused = true;
        this.refused++;
        socket.destroy();
      }
      return;
    }
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
      state.busy++;
      // The rest of this read is a body, the next request (counted once this one is answered) or WebSocket frames
      // (never counted: an upgraded connection gets no answer that would restart the count).
      state.counting = false;
      return;
    }
    state.bytes += chunk.length;
    state.tail = seen.subarray(-3);
  }
}
