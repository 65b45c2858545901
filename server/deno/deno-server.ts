/**
 * The app (server/app.ts) served by `Deno.serve`: what `npm run start:deno` (deno-main.ts) and the bench's Deno rival
 * (bench/servers/deno-server-entry.ts) both start, as node-server.ts is on Node. It gives the app hono/deno's WebSocket
 * upgrade and the client's address; the page is bundled by the same esbuild code as on Node (server/node/
 * client-assets.ts: node:fs and the esbuild npm package run under Deno as they are).
 */
import type { Context } from "hono";
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import { createApp, type AppOptions, type ChatApp } from "../app.ts";
import type { Chat } from "../chat/chat.ts";
import { ALLOWED_ORIGINS_ENV } from "../config.ts";
import { parseAllowedOrigins } from "../guard/origin.ts";
import { buildClientAssets } from "../node/client-assets.ts";
import { servedHosts } from "../node/served-hosts.ts";
import type { SocketUpgrader } from "../transports/socket-hub.ts";
import { RequestCounts } from "../counting/traffic-counts.ts";

/**
 * The little of Deno's API the project uses (Node's type checker does not know the `Deno` global): each file that
 * uses it says `declare const Deno: DenoApi`.
 */
export interface DenoApi {
  args: string[];
  env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname?: string; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  exit(code: number): never;
}
declare const Deno: DenoApi;

export interface DenoServerOptions {
  chat: Chat;
  port: number;
  hostname?: string;
  /** POST /messages per client address (the bench lifts it: its publisher posts for a whole room). */
  postLimit?: AppOptions["postLimit"];
  /** Names served besides the machine's own names and addresses (`--host-name`), as on Node (served-hosts.ts). */
  hostNames?: readonly string[];
}

export interface RunningDenoServer extends ChatApp {
  /** `http://<host>:<port>` as Deno listens (port 0 resolved). */
  url: string;
  /** Sockets closed with 1001, held polls answered, streams ended; then the listener and the chat closed. */
  close(): Promise<void>;
}

/** Serves the app on Deno and resolves once it listens. */
export async function startDenoServer({
  chat,
  port,
  hostname,
  postLimit,
  hostNames,
}: DenoServerOptions): Promise<RunningDenoServer> {
  const allowedOrigins = parseAllowedOrigins(Deno.env.get(ALLOWED_ORIGINS_ENV));
  const stats = new RequestCounts(); // requests, empty answers, upgrades: Deno.serve shows no TCP socket to count bytes
  const chatApp = createApp({
    chat,
    stats,
    postLimit,
    upgradeWebSocket: upgradeWebSocket as SocketUpgrader,
    clientAddress: (c: Context) => getConnInfo(c).remote.address ?? "unknown",
    assets: buildClientAssets,
    allowedOrigins,
    // The app's Host guard (server/guard/host.ts) with Node's list of names: DNS rebinding is refused on both runtimes.
    servesHost: servedHosts({ listenHost: hostname, hostNames, allowedOrigins }),
  });
  let listening!: (address: { hostname: string; port: number }) => void;
  const address = new Promise<{ hostname: string; port: number }>((resolve) => (listening = resolve));
  const server = Deno.serve({ port, hostname, onListen: listening }, async (request, info) => {
    const remote = info.remoteAddr.hostname; // read before the answer: once upgraded, Deno has closed the request
    const response = await chatApp.app.fetch(request, info);
    if (response.status === 101) stats.countUpgrade(request.url, remote); // the upgrade, read from the answer
    return response;
  });
  const bound = await address;
  return {
    ...chatApp,
    url: `http://${bound.hostname}:${bound.port}`,
    async close() {
      await chatApp.shutdown();
      await server.shutdown();
      await chat.close();
    },
  };
}
