import type { Server } from "node:http";
import { createSecureServer, type Http2SecureServer, type Http2Session } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { getRequestListener, serve, type WebSocketServerLike } from "@hono/node-server";
import type { Hono } from "hono";
import {
  MAX_H2_HOLDS_PER_ADDRESS,
  MAX_HEADER_BYTES,
  MAX_STREAMS_PER_CONNECTION,
  RESPONSE_DRAIN_MS,
} from "../../limits/connection-limits.ts";
import { type ErrorCode, PATHS } from "../../../shared/protocol.ts";
import type { TlsCredentials } from "./tls-certificate.ts";
import { TOO_LARGE_BODY } from "../connection-guard.ts";

export interface SecureServerOptions {
  /** The app the plain port serves (`createApp().app.fetch`). */
  fetch: Hono["fetch"];
  /** The same `ws` server as the plain port's: a socket over wss:// joins the same hub. */
  wss: WebSocketServerLike;
  credentials: TlsCredentials;
  /** 0 picks a free port (tests, the bench). */
  port: number;
  hostname?: string;
  errorHandler?: (error: unknown) => Response;
  /** Called with every raw TCP connection before TLS reads a byte (the connection caps, the byte counts). */
  onConnection?: (socket: Socket) => void;
  /** False for a request whose head was refused (connection-guard.ts): its connection already got 431. */
  admits?: (req: { socket: unknown }) => boolean;
  /** Holds (long polls and event streams) per address over HTTP/2; MAX_H2_HOLDS_PER_ADDRESS (tests pass less). */
  holdsPerAddress?: number;
}

export interface SecureEdge {
  server: Http2SecureServer;
  port: number;
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** TLS connections by the protocol ALPN chose (`h2`, `http/1.1`, or `none` for a client that offered none). */
  protocols: Record<string, number>;
  credentials: TlsCredentials;
  close(): Promise<void>;
}

const TOO_MANY_HOLDS = JSON.stringify({
  error: "this address holds too many long polls and event streams; retry shortly",
  code: "server-busy" satisfies ErrorCode,
});
const HELD_PATHS: readonly string[] = [PATHS.wait, PATHS.events];

/**
 * Long polls and event streams held per client address over HTTP/2 (MAX_H2_HOLDS_PER_ADDRESS). Over HTTP/1.1 each is
 * a connection of its own, and the connection caps (connection-guard.ts) bound them per address already.
 */
class HoldsByAddress {
  private readonly held = new Map<string, number>();
  constructor(private readonly max: number) {}

  /** False if `req` would hold one too many for its address; else counted until its response closes. */
  take(req: { url?: string; socket: { remoteAddress?: string } }, res: { once(event: "close", f: () => void): void }) {
    const path = (req.url ?? "").split("?")[0]!;
    if (!HELD_PATHS.includes(path)) return true;
    const address = req.socket.remoteAddress ?? "";
    const now = this.held.get(address) ?? 0;
    if (now >= this.max) return false;
    this.held.set(address, now + 1);
    res.once("close", () => {
      const left = (this.held.get(address) ?? 1) - 1;
      if (left === 0) this.held.delete(address);
      else this.held.set(address, left);
    });
    return true;
  }
}

/** An HTTP/2 header list's size as SETTINGS_MAX_HEADER_LIST_SIZE counts it: each field's name and value, + 32. */
const headerListSize = (raw: string[]) => raw.reduce((sum, part) => sum + Buffer.byteLength(part), 0) + 16 * raw.length;

/**
 * The same app over TLS on a port of its own: HTTP/2 or HTTP/1.1, whichever the client offers first by ALPN
 * (`allowHTTP1`). A WebSocket comes as an HTTP/1.1 upgrade on its own connection: Node does not advertise RFC 8441's
 * SETTINGS_ENABLE_CONNECT_PROTOCOL, so Chromium never tries WebSocket over an HTTP/2 stream (docs/http2.md).
 *
 * Long on purpose: TLS, ALPN and the upgrade are one setup; apart they would hide their order.
 */
export async function startSecureServer(options: SecureServerOptions): Promise<SecureEdge> {
  const listener = getRequestListener(options.fetch, {
    hostname: options.hostname,
    errorHandler: options.errorHandler,
  });
  const protocols: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  const holds = new HoldsByAddress(options.holdsPerAddress ?? MAX_H2_HOLDS_PER_ADDRESS);
  const server = await new Promise<Http2SecureServer>((resolve, reject) => {
    const created = serve(
      {
        fetch: options.fetch,
        port: options.port,
        hostname: options.hostname,
        websocket: { server: options.wss },
        serverOptions: {
          cert: options.credentials.cert,
          key: options.credentials.key,
          allowHTTP1: true,
          // HTTP/2's cap on a decoded header list, and the HTTP/1.1 fallback's head limit: the plain port's.
          maxHeaderSize: MAX_HEADER_BYTES,
          settings: { maxHeaderListSize: MAX_HEADER_BYTES, maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
        },
        createServer: ((serverOptions: object) =>
          createSecureServer(serverOptions, (req, res) => {
            if (options.admits && !options.admits(req)) return;
            // nghttp2 advertises SETTINGS_MAX_HEADER_LIST_SIZE but lets a bigger list through: counted here, as
            // RFC 9113 §6.5.2 does (name + value + 32 a field).
            if (req.httpVersion === "2.0" && headerListSize(req.rawHeaders) > MAX_HEADER_BYTES) {
              res.writeHead(431, { "content-type": "application/json" });
              res.end(TOO_LARGE_BODY);
              return;
            }
            if (req.httpVersion === "2.0" && !holds.take(req, res)) {
              res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
              res.end(TOO_MANY_HOLDS);
              return;
            }
            listener(req, res);
          })) as typeof createSecureServer,
      },
      () => resolve(created as Http2SecureServer),
    ) as Http2SecureServer;
    created.once("error", reject);
  });
  // "connection" is the TCP socket before TLS: its counts are the bytes on the wire, TLS records included.
  server.prependListener("connection", (socket: Socket) => {
    options.onConnection?.(socket);
    if (socket.destroyed) return;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: TLSSocket) => {
    const protocol = socket.alpnProtocol || "none";
    protocols[protocol] = (protocols[protocol] ?? 0) + 1;
  });
  server.on("session", (session: Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `https://127.0.0.1:${port}`,
    protocols,
    credentials: options.credentials,
    /** After the app's shutdown answered what it held: HTTP/2 sessions get GOAWAY and finish their streams. */
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      const idle = new Promise<void>((resolve) => {
        const check = setInterval(() => sockets.size === 0 && (clearInterval(check), resolve()), 10);
        setTimeout(() => (clearInterval(check), resolve()), RESPONSE_DRAIN_MS);
      });
      await idle;
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** For code typed against node:http's Server (the traffic counts): both emit "connection" with the raw socket. */
export const asPlainServer = (server: Http2SecureServer) => server as unknown as Server;
