import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { getRequestListener, RequestError, serve, upgradeWebSocket } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { WebSocketServer } from "ws";
import type { ErrorBody } from "../../shared/protocol.ts";
import { createApp, type AppOptions, type ChatApp } from "../app.ts";
import type { ClientAssets } from "../routes/page-routes.ts";
import { createChat } from "../chat-factory.ts";
import type { SocketUpgrader } from "../transports/socket-hub.ts";
import { HEARTBEAT_INTERVAL_MS } from "../limits/waiting-limits.ts";
import { KEEP_ALIVE_TIMEOUT_MS, MAX_HEADER_BYTES, RESPONSE_DRAIN_MS } from "../limits/connection-limits.ts";
import { MAX_FRAME_BYTES } from "../limits/input-limits.ts";
import { buildClientAssets, buildLabAssets } from "./client-assets.ts";
import { prebuiltFrames } from "./prebuilt-frames.ts";
import { closeSockets, nodeSockets, startHeartbeat } from "./socket-lifecycle.ts";
import { ConnectionGuard, type ConnectionLimits } from "./connection-guard.ts";
import { echoHandshakes } from "./handshake-echo.ts";
import { lanUrls } from "./lan-address.ts";
import { servedHosts } from "./served-hosts.ts";
import { TrafficStats } from "../counting/traffic-stats.ts";
import { asPlainServer, startSecureServer, type SecureEdge } from "./https/https-server.ts";
import type { TlsCredentials } from "./https/tls-certificate.ts";

export interface RunningServer extends ChatApp {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>`: the loopback address, for tests and the bench. */
  url: string;
  stats: TrafficStats;
  /** The same app over TLS (HTTP/2 and HTTP/1.1), when started with `https`. */
  secure?: SecureEdge;
  close(): Promise<void>;
}

type EdgeOptions =
  | "chat"
  | "stats"
  | "assets"
  | "labAssets"
  | "upgradeWebSocket"
  | "clientAddress"
  | "sendText"
  | "cpuMicros";

export interface StartOptions extends Partial<Omit<AppOptions, EdgeOptions>> {
  /** The chat; an in-memory one (server/chat-factory.ts) by default. */
  chat?: AppOptions["chat"];
  /** Pre-built browser clients; bundled on the first page request when absent. */
  assets?: Promise<ClientAssets>;
  /** 0 picks a free port (tests). */
  port?: number;
  hostname?: string;
  /** Ping/heartbeat period; HEARTBEAT_INTERVAL_MS by default (tests pass a short one). */
  heartbeatInterval?: number;
  /** Caps on open connections and head bytes: limits.ts and the `nofile` limit by default (tests pass small ones). */
  connectionLimits?: ConnectionLimits;
  /** Names served besides the machine's own names and addresses (`--host-name`; server/node/served-hosts.ts). */
  hostNames?: readonly string[];
  /** Also serve over TLS on this port (0: a free one), HTTP/2 and HTTP/1.1 by ALPN (server/node/https/https-server.ts). */
  https?: { port: number; credentials: TlsCredentials; holdsPerAddress?: number };
}

/** A request the adapter could not turn into a web Request (400), or that failed outside the app's onError (500). */
function requestFailed(error: unknown): Response {
  const bad = error instanceof RequestError;
  const body: ErrorBody = bad
    ? { error: `bad request: ${(error as Error).message}`, code: "bad-request" }
    : { error: "internal server error", code: "internal" };
  return Response.json(body, { status: bad ? 400 : 500 });
}

/**
 * The Node edge: serves `createApp()` with `@hono/node-server`, and gives it what only a runtime has: its WebSocket
 * upgrade (`ws` underneath), the client's address, the browser bundle (esbuild), the counting at the TCP sockets, and
 * pre-built broadcast frames (prebuilt-frames.ts).
 *
 * Long on purpose: the Node edge's wiring in the order it happens, each step one or two lines.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const chat = options.chat ?? (await createChat());
  const stats = new TrafficStats();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
  let port = 0; // known once listening
  let secure: SecureEdge | undefined; // the TLS edge, once started
  const chatApp = createApp({
    roomUrls: options.roomUrls ?? (() => lanUrls(port, options.hostname)),
    secureRoomUrls: () =>
      secure ? lanUrls(secure.port, options.hostname).map((url) => url.replace(/^http:/, "https:")) : [],
    ...options,
    chat,
    stats,
    // `raw` is `ws`'s WebSocket, which has the `bufferedAmount` the hub reads; @hono/node-server types it narrower.
    upgradeWebSocket: upgradeWebSocket as unknown as SocketUpgrader,
    servesHost:
      options.servesHost ??
      servedHosts({
        listenHost: options.hostname,
        hostNames: options.hostNames,
        allowedOrigins: options.allowedOrigins,
      }),
    clientAddress: (c) => getConnInfo(c).remote.address ?? "unknown",
    assets: () => options.assets ?? buildClientAssets(),
    labAssets: buildLabAssets,
    sendText: prebuiltFrames(wss),
    cpuMicros: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
  });
  const { hub } = chatApp;
  wss.on("connection", (_ws, req) => stats.upgraded(req));
  const stopHeartbeat = startHeartbeat(wss, hub, options.heartbeatInterval ?? HEARTBEAT_INTERVAL_MS);
  // The hub's close sent each socket a 1001 (app.ts); here: wait for the replies, cut the sockets that do not answer.
  chatApp.onShutdown(() => closeSockets(nodeSockets(hub), 1001, "server is shutting down"));
  echoHandshakes(wss);

  const guard = new ConnectionGuard(options.connectionLimits);
  // The adapter's own listener answers a request target it cannot read (`*`, a backslash) with a bare 400; this one
  // is the same listener with an error handler, so those get a JSON error too. Requests whose head was refused are
  // dropped.
  const listener = getRequestListener(chatApp.app.fetch, { hostname: options.hostname, errorHandler: requestFailed });
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      {
        fetch: chatApp.app.fetch,
        port: options.port ?? 0,
        hostname: options.hostname,
        websocket: { server: wss },
        serverOptions: { maxHeaderSize: MAX_HEADER_BYTES },
        createServer: ((serverOptions: object) =>
          createServer(serverOptions, (req, res) => guard.admits(req) && listener(req, res))) as typeof createServer,
      },
      () => resolve(created as Server),
    ) as Server;
    guard.attach(created);
    created.once("error", reject);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  stats.attach(server);
  secure =
    options.https &&
    (await startSecureServer({
      ...options.https,
      fetch: chatApp.app.fetch,
      wss,
      hostname: options.hostname,
      errorHandler: requestFailed,
      onConnection: (socket) => guard.admitConnection(socket),
      admits: (req) => guard.admits(req),
    }));
  if (secure) guard.attachSecure(secure.server);
  if (secure) stats.attach(asPlainServer(secure.server)); // its raw TCP sockets: TLS records counted

  port = (server.address() as AddressInfo).port;
  return {
    ...chatApp,
    stats,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    secure,
    /** Graceful: stop accepting, let the transports finish (held polls answered, sockets closed with 1001), then cut. */
    async close() {
      stopHeartbeat();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await chatApp.shutdown();
      // Held polls were just answered and streams ended: let those responses leave (closing each connection once it
      // is idle) instead of cutting them mid-write, which a client would see as a network error, not as an answer.
      const drain = setInterval(() => server.closeIdleConnections(), 10);
      const drained = Promise.race([closed, new Promise((resolve) => setTimeout(resolve, RESPONSE_DRAIN_MS))]);
      await Promise.all([drained, secure?.close()]);
      clearInterval(drain);
      for (const ws of nodeSockets(hub)) ws.terminate();
      server.closeAllConnections();
      await closed;
      await chat.close();
    },
  };
}
