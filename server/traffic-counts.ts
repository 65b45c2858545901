import type { MiddlewareHandler } from "hono";
import { PATHS } from "../shared/protocol.ts";
import { tagsNoMessage } from "./transports/etag.ts";
import type { LongPolls } from "./transports/long-poll.ts";

export interface RequestCountsSnapshot {
  /** HTTP requests answered, by route label (`GET /messages`, …), upgrades not included. */
  requests: Record<string, number>;
  /** Poll answers that carried no message (`[]`, or a 304): the polling cost that buys nothing. */
  emptyResponses: number;
  /** WebSocket upgrades accepted, counted by the runtime edge (the sockets open now are the hub's to count). */
  upgrades: number;
}

/**
 * What the server counts of its HTTP traffic, in one place: the app's `countRequests` middleware counts requests and
 * empty answers, the runtime edge (server/node/, server/deno/) counts upgrades and, on Node, the TCP bytes.
 */
export class RequestCounts {
  readonly requests: Record<string, number> = {};
  emptyResponses = 0;
  upgrades = 0;

  countRequest(label: string): void {
    this.requests[label] = (this.requests[label] ?? 0) + 1;
  }

  snapshot(): RequestCountsSnapshot {
    return { requests: { ...this.requests }, emptyResponses: this.emptyResponses, upgrades: this.upgrades };
  }
}

/**
 * Middleware: counts each request by route, and the empty answers: GET /messages read from the response, as the
 * browser's meter does (clients/page/meter.ts): a 304, or an ETag that names an answer with no message (etag.ts).
 * Long polls are told by their transport (its `answered` event). Neither body is read here: `clone().text()` on each
 * answer doubled the server's CPU in the bench (1000 pollers: 1028 → 2083 ms; 100 long pollers: 663 → 1288 ms) and
 * moved the body off @hono/node-server's fast path (chunked: +25 B a long-poll answer). The routes know nothing of it.
 */
export function countRequests(counts: RequestCounts, longPolls: LongPolls): MiddlewareHandler {
  longPolls.events.on("answered", ({ empty }) => {
    if (empty) counts.emptyResponses++;
  });
  return async (c, next) => {
    counts.countRequest(`${c.req.method} ${c.req.path}`);
    await next();
    if (c.req.method !== "GET" || c.res.status >= 400) return;
    if (c.req.path === PATHS.messages && (c.res.status === 304 || tagsNoMessage(c.res.headers.get("etag")))) {
      counts.emptyResponses++;
    }
  };
}
