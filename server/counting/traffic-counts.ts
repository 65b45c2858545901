import type { Context, MiddlewareHandler } from "hono";
import { PANE_PARAM, PATHS, type PaneTotalsBody } from "../../shared/protocol.ts";
import type { TransportId } from "../../shared/transports.ts";
import type { TransportTotals } from "../../shared/class-protocol.ts";
import { PaneLedger, paneTagOf } from "./pane-traffic.ts";
import { tagsNoMessage } from "../transports/etag.ts";
import type { LongPolls } from "../transports/long-poll.ts";

export interface RequestCountsSnapshot {
  /** HTTP requests answered, by route label (`GET /messages`, …), upgrades not included. */
  requests: Record<string, number>;
  /** Poll answers that carried no message (`[]`, or a 304): the polling cost that buys nothing. */
  emptyResponses: number;
  /** WebSocket upgrades accepted, counted by the runtime edge (the sockets open now are the hub's to count). */
  upgrades: number;
  /** What the panes of each transport cost (their `?p=`, server/counting/pane-traffic.ts); bytes where the edge counts them. */
  transports: Record<TransportId, TransportTotals>;
}

/**
 * What the server counts of its HTTP traffic, in one place: the app's `countRequests` middleware counts requests and
 * empty answers, the runtime edge (server/node/, server/deno/) counts upgrades and, on Node, the TCP bytes.
 */
export class RequestCounts {
  readonly requests: Record<string, number> = {};
  emptyResponses = 0;
  upgrades = 0;
  /** Each pane's share of the above, and of the bytes where the edge counts them (Node: node/traffic-stats.ts). */
  readonly panes = new PaneLedger();
  /** True at an edge that counts bytes at its TCP sockets; elsewhere a pane's byte figures are not measured. */
  readonly countsBytes: boolean = false;

  countRequest(label: string): void {
    this.requests[label] = (this.requests[label] ?? 0) + 1;
  }

  /** A WebSocket upgrade accepted (the app never sees it as a request): for the server, and for its pane. */
  countUpgrade(target: string, address: string): void {
    this.upgrades++;
    const pane = this.panes.pane(paneTagOf(target), address);
    if (pane) this.panes.countRequest(pane);
  }

  /** Per transport: connected clients, requests, empty answers, bytes in and out (monotonic). */
  byTransport(): Record<TransportId, TransportTotals> {
    return this.panes.byTransport();
  }

  paneTotals(id: string): PaneTotalsBody | undefined {
    return this.panes.totals(id, this.countsBytes);
  }

  snapshot(): RequestCountsSnapshot {
    return {
      requests: { ...this.requests },
      emptyResponses: this.emptyResponses,
      upgrades: this.upgrades,
      transports: this.byTransport(),
    };
  }
}

/**
 * Middleware: counts each request by route and for the pane that sent it (`?p=`), and the empty answers:
 * GET /messages read from the response: a 304, or an ETag that names an answer with no message (etag.ts).
 * Long polls are told by their transport (its `answered` event). Neither body is read here: `clone().text()` on each
 * answer doubled the server's CPU in the bench (1000 pollers: 1028 → 2083 ms; 100 long pollers: 663 → 1288 ms) and
 * moved the body off @hono/node-server's fast path (chunked: +25 B a long-poll answer). The routes know nothing of it.
 * A pane's readings of its own totals (`GET /stats/pane/<id>`) are left out: they must not change what they read.
 */
export function countRequests(
  counts: RequestCounts,
  longPolls: LongPolls,
  clientAddress: (c: Context) => string,
): MiddlewareHandler {
  const { panes } = counts;
  longPolls.events.on("answered", ({ empty, request }) => {
    if (!empty) return;
    counts.emptyResponses++;
    const pane = panes.known(new URL(request.url).searchParams.get(PANE_PARAM));
    if (pane) panes.countEmpty(pane);
  });
  return async (c, next) => {
    if (c.req.path.startsWith(`${PATHS.paneStats}/`)) return next();
    counts.countRequest(`${c.req.method} ${c.req.path}`);
    const pane = panes.pane(c.req.query(PANE_PARAM), clientAddress(c));
    if (pane) panes.countRequest(pane);
    await next();
    if (c.req.method !== "GET" || c.res.status >= 400) return;
    if (c.req.path === PATHS.messages && (c.res.status === 304 || tagsNoMessage(c.res.headers.get("etag")))) {
      counts.emptyResponses++;
      if (pane) panes.countEmpty(pane);
    }
  };
}
