/**
 * `--rivals`: which of our runs get a rival's twin, and what it is. A twin is the same run (clients, T, rate,
 * duration) against another project's server, with that project's client in place of ours, right after ours.
 */
import type { BenchMode } from "../clients/modes.ts";
import type { PlannedRun } from "./sweep.ts";
import { OUR_SOCKET_MODE, SOCKETIO_MODE } from "../clients/socketio-mode.ts";
import type { RivalKind } from "../core/records.ts";

/** What the report says a rival's row is. */
export const RIVAL_NOTES: Record<RivalKind, string> = {
  socketio: "Socket.IO 4.8 server and socket.io-client, websocket transport only, its defaults otherwise",
  deno:
    "our createApp on Deno (Deno.serve, hono/deno's upgrade, as npm run start:deno) and our socket clients; " +
    "Deno.serve shows no TCP socket: no byte figures (–); Deno writes each frame after the broadcast loop returns, " +
    "so its broadcast time holds no write (its CPU/msg does)",
};

/**
 * The rivals, each with the client mode that stands in for our WebSocket clients. Deno runs our own app, so our own
 * clients: only the runtime changes.
 */
const RIVALS: { server: RivalKind; mode: BenchMode }[] = [
  { server: "socketio", mode: SOCKETIO_MODE },
  { server: "deno", mode: OUR_SOCKET_MODE },
];

/** A run a rival can twin: our server, one group of simulated WebSocket clients, one instance. */
const rivalsServe = (planned: PlannedRun) =>
  (planned.server ?? "app") === "app" &&
  (planned.instances ?? 1) === 1 &&
  planned.groups.length === 1 &&
  planned.groups[0]!.mode === OUR_SOCKET_MODE &&
  planned.groups[0]!.where !== "browser";

/** The rivals' twins of one of our runs (none when it is not a simulated WebSocket run). */
export function rivalRuns(planned: PlannedRun): PlannedRun[] {
  if (!rivalsServe(planned)) return [];
  return RIVALS.map(({ server, mode }) => ({
    ...planned,
    server,
    groups: planned.groups.map((g) => ({ ...g, mode })),
  }));
}
