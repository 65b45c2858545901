import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { WebSocketServer } from "ws";
import { createApp, type AppOptions, type ChatApp } from "./app.ts";
import { Chat } from "./chat.ts";
import { KEEP_ALIVE_TIMEOUT_MS, MAX_FRAME_BYTES } from "./limits.ts";

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
}

/** The runtime edge: serves `createApp()` with `@hono/node-server` and its built-in WebSocket upgrade. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const chat = options.chat ?? (await Chat.inMemory());
  const chatApp = createApp({ ...options, chat });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve(
      { fetch: chatApp.app.fetch, port: options.port ?? 0, hostname: options.hostname, websocket: { server: wss } },
      () => resolve(created as Server),
    ) as Server;
    created.once("error", reject);
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  chatApp.stats.attach(server);

  const port = (server.address() as AddressInfo).port;
  return {
    ...chatApp,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await chatApp.shutdown();
      for (const socket of wss.clients) socket.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chat.close();
    },
  };
}
