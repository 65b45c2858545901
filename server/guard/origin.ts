import type { Context, MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";

/** `ALLOWED_ORIGINS="http://a:8000, http://b"` → the list; empty or unset → none extra (same-origin only). */
export function parseAllowedOrigins(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter((origin) => origin.length > 0);
}

/**
 * Is this request's `Origin` allowed? Browsers always send `Origin` on a WebSocket handshake, and any page may open
 * a socket to any host (there is no CORS for WebSockets), so this check is what stops a foreign page from chatting
 * in a visitor's name. Allowed: no `Origin` (curl, Node clients), the server's own origin (`Origin` host = `Host`),
 * and the listed ones; `*` in the list allows everyone.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}

/**
 * Rejects a foreign `Origin` with 403 before the route runs (so before a WebSocket upgrade). It only reads headers:
 * on /ws, middleware that writes headers would break the upgrade. Over a real upgrade, @hono/node-server sends
 * the status and headers of this response but no body, hence the reason also in `x-error`.
 */
export function originGuard(allowed: readonly string[]): MiddlewareHandler {
  return async (c: Context, next) => {
    const origin = c.req.header("origin");
    // HTTP/2 has no Host header: its `:authority` is the host of the URL the adapter built (npm start -- --https).
    if (isAllowedOrigin(origin, c.req.header("host") ?? new URL(c.req.url).host, allowed)) return next();
    const error = `origin ${origin} is not allowed; set ALLOWED_ORIGINS to allow it`;
    return c.json<ErrorBody>({ error, code: "origin-refused" }, 403, { "x-error": error });
  };
}
