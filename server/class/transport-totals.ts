import type { Context, MiddlewareHandler } from "hono";
import { PATHS } from "../../shared/protocol.ts";
import type { TransportTotals } from "../../shared/classroom.ts";
import { TRANSPORT_IDS, type TransportId } from "../../shared/transports.ts";
import { tagsNoMessage } from "../transports/etag.ts";
import type { LongPolls } from "../transports/long-poll.ts";
import type { SocketHub } from "../transports/socket.ts";
import type { SseStreams } from "../transports/sse.ts";

/** What the class view reads: each transport's totals now (server/class/class-feed.ts turns them into rates). */
export type TransportTotalsSource = () => Record<TransportId, TransportTotals>;

/** A poller counts as here while its last poll is at most this old (the page polls every 1000 ms by default). */
const POLLER_WINDOW_MS = 1500;

const TRANSPORT_POLLS = new Set<TransportId>(["polling", "conditional", "naive"]);

/** The TCP socket under a request, where the edge exposes it (@hono/node-server's `c.env.incoming`). */
interface CountedSocket {
  bytesRead: number;
  bytesWritten: number;
  destroyed: boolean;
}
interface Connection {
  transport: TransportId | undefined;
  read: number;
  written: number;
  lastPoll: number;
}

/** Which transport a request belongs to, by its route (and, for GET /messages, how it asks); undefined: none. */
function transportOf(c: Context): TransportId | undefined {
  if (c.req.method !== "GET") return undefined;
  if (c.req.path === PATHS.socket) return "socket";
  if (c.req.path === PATHS.events) return "sse";
  if (c.req.path === PATHS.wait) return "longpoll";
  if (c.req.path !== PATHS.messages) return undefined;
  if (c.req.header("if-none-match")) return "conditional";
  return c.req.query("since") === undefined ? "naive" : "polling";
}

/**
 * STAND-IN for `TrafficStats.byTransport()` (per-pane attribution at the TCP socket, issue 10 section 1): until that
 * is merged, the class view's numbers come from here, from what the app already sees. Sockets, streams and held polls
 * are the hub's and SseStreams' own sets; a poller is a connection that polled in the last 1.5 s; long pollers are the
 * most long polls in progress at once in the last 1.5 s; bytes
 * are each TCP connection's own counters (Node only), given to the transport of its latest request, so the request
 * head that switches a connection to another transport is still counted to the one before. Switch in one place:
 * pass `transportTotals` to createApp (server/app.ts) and this file goes.
 */
export function standInTransportTotals(
  parts: { hub: SocketHub; longPolls: LongPolls; sseStreams: SseStreams },
  now = Date.now,
): {
  middleware: MiddlewareHandler;
  totals: TransportTotalsSource;
} {
  const totals = Object.fromEntries(
    TRANSPORT_IDS.map((id) => [id, { clients: 0, requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 }]),
  ) as Record<TransportId, TransportTotals>;
  const connections = new Map<CountedSocket | string, Connection>();
  parts.longPolls.events.on("answered", ({ empty }) => empty && totals.longpoll.emptyAnswers++);
  // Long polls in progress now, and each change of that number in the last window: a long poller is between two
  // polls for a moment after each message, so "here" is the most held at once within the window.
  let longPollsNow = 0;
  let changes: { at: number; count: number }[] = [];
  /** Keeps the changes in the window, and the last one before it (the number at the window's start). */
  const forgetOld = () => {
    const windowStart = now() - POLLER_WINDOW_MS;
    const before = changes.filter((change) => change.at < windowStart).at(-1);
    changes = [...(before ? [before] : []), ...changes.filter((change) => change.at >= windowStart)];
  };
  const longPollsChanged = (by: number) => {
    longPollsNow += by;
    changes.push({ at: now(), count: longPollsNow });
    forgetOld();
  };

  /** Moves the bytes a connection carried since last time to its transport's totals. */
  const settle = (key: CountedSocket | string, connection: Connection) => {
    if (typeof key === "string") return;
    if (connection.transport) {
      totals[connection.transport].bytesIn += key.bytesRead - connection.read;
      totals[connection.transport].bytesOut += key.bytesWritten - connection.written;
    }
    connection.read = key.bytesRead;
    connection.written = key.bytesWritten;
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const transport = transportOf(c);
    const socket = (c.env as { incoming?: { socket?: CountedSocket } } | undefined)?.incoming?.socket;
    const key = socket ?? `${c.req.header("user-agent")}`;
    let connection = connections.get(key);
    if (!connection) {
      connection = {
        transport: undefined,
        read: socket?.bytesRead ?? 0,
        written: socket?.bytesWritten ?? 0,
        lastPoll: 0,
      };
      connections.set(key, connection);
    }
    settle(key, connection);
    connection.transport = transport;
    if (!transport) return next();
    totals[transport].requests++; // on /ws: the upgrade request
    if (TRANSPORT_POLLS.has(transport)) connection.lastPoll = now();
    if (transport === "longpoll") {
      longPollsChanged(1);
      await next().finally(() => longPollsChanged(-1));
      return;
    }
    await next();
    if (c.req.path === PATHS.messages && (c.res.status === 304 || tagsNoMessage(c.res.headers.get("etag")))) {
      totals[transport].emptyAnswers++;
    }
  };

  return {
    middleware,
    totals() {
      const clients = new Map<TransportId, number>();
      for (const [key, connection] of connections) {
        settle(key, connection);
        const { transport } = connection;
        if (transport && now() - connection.lastPoll <= POLLER_WINDOW_MS) {
          clients.set(transport, (clients.get(transport) ?? 0) + 1);
        }
        if (typeof key !== "string" && key.destroyed) connections.delete(key);
      }
      for (const id of TRANSPORT_IDS) totals[id].clients = clients.get(id) ?? 0;
      totals.socket.clients = parts.hub.sockets.size;
      totals.sse.clients = parts.sseStreams.streams.size;
      forgetOld();
      totals.longpoll.clients = Math.max(longPollsNow, ...changes.map((change) => change.count));
      return structuredClone(totals);
    },
  };
}
