/**
 * `npm run start:deno`: the same app (server/app.ts) on Deno, the lesson's own runtime, through `Deno.serve`. The
 * proof that the app is web-standard: only this file knows it is on Deno. It gives the app hono/deno's WebSocket
 * upgrade and the client's address; the page is bundled by the same esbuild code as on Node (server/node/
 * client-assets.ts: node:fs and the esbuild npm package run under Deno as they are). The chat is in memory only.
 */
import type { Context } from "hono";
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import { parseArgs } from "node:util";
import { createApp } from "../app.ts";
import { createChat } from "../chat/chat-factory.ts";
import { ALLOWED_ORIGINS_ENV, DEFAULT_PORT } from "../guard/limits.ts";
import { parseAllowedOrigins } from "../guard/origin.ts";
import { buildClientAssets } from "../node/client-assets.ts";
import type { SocketUpgrader } from "../transports/socket.ts";
import { RequestCounts } from "../traffic-counts.ts";

/** The little of Deno's API used here (Node's type checker does not know the `Deno` global). */
declare const Deno: {
  args: string[];
  env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname?: string; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
};

const { values } = parseArgs({ args: Deno.args, options: { port: { type: "string" }, host: { type: "string" } } });
const port = Number(values.port ?? Deno.env.get("PORT") ?? DEFAULT_PORT);
const chat = await createChat();
const stats = new RequestCounts();
const { app, shutdown } = createApp({
  chat,
  stats,
  upgradeWebSocket: upgradeWebSocket as SocketUpgrader,
  clientAddress: (c: Context) => getConnInfo(c).remote.address ?? "unknown",
  assets: buildClientAssets,
  allowedOrigins: parseAllowedOrigins(Deno.env.get(ALLOWED_ORIGINS_ENV)),
});

const server = Deno.serve(
  {
    port,
    hostname: values.host ?? Deno.env.get("HOST"),
    onListen: ({ port }) => console.log(`Polling vs WebSockets on Deno: http://localhost:${port}/ (chat in memory)`),
  },
  async (request, info) => {
    const response = await app.fetch(request, info);
    if (response.status === 101) stats.upgrades++; // the upgrade, read from the answer
    return response;
  },
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    if (stopping) Deno.exit(1);
    stopping = true;
    await shutdown(); // held polls answered, streams ended, sockets closed with 1001
    await server.shutdown();
    await chat.close();
    Deno.exit(0);
  });
}
