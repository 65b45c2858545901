import { startPolling, type PollingOptions } from "./polling.ts";

/**
 * The same polling loop, made conditional: each request carries the ETag of the last answer in `If-None-Match`,
 * and when nothing changed the server says `304 Not Modified` with no body. The URL only changes when messages
 * arrive, so a 304 always means "still nothing new", which the loop reads as `[]`.
 */
export function startConditionalPolling(options: PollingOptions) {
  const fetch = options.fetch ?? globalThis.fetch;
  let etag: string | null = null;

  const conditionalFetch: typeof globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (etag) headers.set("If-None-Match", etag);
    const response = await fetch(input, { ...init, headers });
    if (response.status === 304) return new Response("[]");
    etag = response.headers.get("ETag");
    return response;
  };

  return startPolling({ ...options, fetch: conditionalFetch });
}
