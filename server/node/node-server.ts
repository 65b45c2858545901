import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { getRequestListener, RequestError, serve } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { createApp, type AppOptions, type ChatApp } from "../app.ts";
import { Chat } from "../chat/chat.ts";
import { HEARTBEAT_INTERVAL_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_HEADER_BYTES, RESPONSE_DRAIN_MS } from "../guard/limits.ts";
import { closeSockets, startHeartbeat } from "./socket-lifecycle.ts";
import { ConnectionGuard, type ConnectionLimits } from "./connection-guard.ts";
import { echoHandshakes } from "./handshake-echo.ts";
import { lanUrls } from "./lan-address.ts";

export interface RunningServer extends ChatApp {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>`: the loopback address, for tests and the bench. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<AppOptions> {
  /** 0 picks a free port (tests). */
  port?: number;
  hostname?: string;
  /** Ping/heartbeat period; HEARTBEAT_INTERVAL_MS by default (tests pass a short one). */
  heartbeatInterval?: number;
  /** Caps on open connections and head bytes: limits.ts and the `nofile` limit by default (tests pass small ones). */
  connectionLimits?: ConnectionLimits;
}

/** A request the adapter could not turn into a web Request (400), or that failed outside the app's onError (500). */
function requestFailed(error: unknown): Response {
  const bad = error instanceof RequestError;
  const body = { error: bad ? `bad request: ${(error as Error).message}` : "internal server error" };
  return Response.json(body, { status: bad ? 400 : 500 });
}

/** The runtime edge: serves `createApp()` with `@hono/node-server` and its built-in WebSocket upgrade. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const chat = options.chat ?? (await Chat.inMemory());
  let port = 0; // known once listening
  const chatApp = createApp({ roomUrls: () => lanUrls(port, options.hostname), ...options, chat });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const stopHeartbeat = startHeartbeat(wss, options.heartbeatInterval ?? HEARTBEAT_INTERVAL_MS);
  chatApp.onShutdown(() => closeSockets(wss, 1001, "server is shutting down"));
  echoHandshakes(wss);
  // `request.socket` is the very TCP connection `ws` took over: broadcasts write their one frame to it directly.
  wss.on("connection", (socket, request) => chatApp.hub.attachConnection(socket, request.socket));

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
  chatApp.stats.attach(server);

  port = (server.address() as AddressInfo).port;
  return {
    ...chatApp,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    /** Graceful: stop accepting, let the transports finish (held polls answered, sockets closed with 1001), then cut. */
    async close() {
      stopHeartbeat();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await chatApp.shutdown();
      // Held polls were just answered and streams ended: let those responses leave (closing each connection once it
      // is idle) instead of cutting them mid-write, which a client would see as a network error, not as an answer.
      const drain = setInterval(() => server.closeIdleConnections(), 10);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, RESPONSE_DRAIN_MS))]);
      clearInterval(drain);
      for (const socket of wss.clients) socket.terminate();
      server.closeAllConnections();
      await closed;
      await chat.close();
    },
  };
}
