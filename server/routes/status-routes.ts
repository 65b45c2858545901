import { Hono } from "hono";
import {
  PATHS,
  type ErrorBody,
  type HealthBody,
  type PaneRoom,
  type PaneTotalsBody,
  type RoomBody,
  type TimeBody,
} from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import type { RequestCounts } from "../counting/traffic-counts.ts";
import type { Delivery } from "../delivery.ts";

export interface StatusSources {
  chat: Chat;
  stats: RequestCounts;
  delivery: Delivery;
  now: () => number;
  roomUrls?: () => string[];
  /** The teacher's lock and the latest new chat, for every pane's reading (server/class/room-state.ts). */
  room?: () => PaneRoom;
}

/** What the server tells about itself: its clock, its addresses, its health, and what it counted. */
export function statusRoutes({ chat, stats, delivery, now, roomUrls, room }: StatusSources): Hono {
  const routes = new Hono();
  routes.get(PATHS.time, (c) => c.json<TimeBody>({ now: now() }));
  routes.get(PATHS.room, (c) => c.json<RoomBody>({ urls: roomUrls?.() ?? [] }));
  routes.get(PATHS.health, (c) => {
    const broker = chat.broker.health();
    return c.json<HealthBody>({ broker }, broker === "ok" ? 200 : 503);
  });
  routes.get(PATHS.stats, (c) =>
    c.json({
      ...stats.snapshot(),
      openSockets: delivery.hub.sockets.size,
      heldLongPolls: delivery.longPolls.held.size,
      openEventStreams: delivery.sseStreams.streams.size,
    }),
  );

  // A pane reads its own totals back here, once a second, with no `?p=`: the reading is in no pane's count.
  routes.get(`${PATHS.paneStats}/:id`, (c) => {
    const totals = stats.paneTotals(c.req.param("id"));
    c.header("Cache-Control", "no-store");
    if (!totals)
      return c.json<ErrorBody>(
        { error: `no request with ?p=${c.req.param("id")}.<transport> seen yet`, code: "not-found" },
        404,
      );
    return c.json<PaneTotalsBody>({ ...totals, room: room?.() });
  });
  return routes;
}
