import type { MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";

/**
 * Refuses a body that is not `application/json` with 415. Why it guards every state-changing route: a page on
 * another origin can send `text/plain` with `fetch(..., { mode: "no-cors" })` and no preflight, but not JSON.
 */
export function requireJson(): MiddlewareHandler {
  return async (c, next) => {
    if (/^application\/json\s*(;|$)/i.test(c.req.header("content-type") ?? "")) return next();
    return c.json<ErrorBody>({ error: "content-type must be application/json", code: "bad-request" }, 415);
  };
}
