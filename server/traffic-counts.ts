import type { MiddlewareHandler } from "hono";
import { PATHS } from "../shared/protocol.ts";

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

const POLLS = new Set<string>([PATHS.messages, PATHS.wait]);

/**
 * Middleware: counts each request by route and reads each poll's answer the way the browser's meter does
 * (clients/page/meter.ts): a 304, or a `[]` body, is an empty answer. The routes know nothing of it.
 */
export function countRequests(counts: RequestCounts): MiddlewareHandler {
  return async (c, next) => {
    counts.countRequest(`${c.req.method} ${c.req.path}`);
    await next();
    if (c.req.method !== "GET" || !POLLS.has(c.req.path)) return;
    if (c.res.status === 304 || (c.res.status === 200 && (await c.res.clone().text()) === "[]")) counts.emptyResponses++;
  };
}
