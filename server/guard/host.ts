import type { Context, MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";

/** The name in a `Host` header, lower-case, without its port or an IPv6 address's brackets; undefined if unreadable. */
export function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  } catch {
    return undefined;
  }
}

/** This machine by any loopback name: `localhost`, all of 127.0.0.0/8 (tests open students at 127.0.0.2), `::1`. */
export const isLoopbackName = (name: string) =>
  name === "localhost" || name.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(name) || name === "::1";

/**
 * Refuses a request for a host the server does not serve, with 421 before any route runs (so before an upgrade).
 * DNS rebinding: a page at `evil.example` whose name is made to resolve to 127.0.0.1 (the teacher's machine) sends
 * requests that are same-origin for the browser, so the Origin check passes; its `Host` still says `evil.example`.
 * Only reads headers, so it may run on /ws. HTTP/2 has no Host: its `:authority` is the host of the URL.
 */
export function hostGuard(serves: (hostname: string) => boolean): MiddlewareHandler {
  return async (c: Context, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const name = hostnameOf(host);
    if (name !== undefined && serves(name)) return next();
    const error = `host ${host} is not served here; start the server with --host-name ${name ?? "<name>"} to serve it`;
    return c.json<ErrorBody>({ error, code: "origin-refused" }, 421, { "x-error": error });
  };
}
