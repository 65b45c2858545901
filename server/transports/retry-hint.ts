import { SSE_RETRY_MS } from "../limits/waiting-limits.ts";

/**
 * The `retry:` hint for one event stream: SSE_RETRY_MS ± 50 %, drawn once per stream. Streams broken by the same
 * crash then come back spread over a second instead of all at once, each at its own pace while the server is away
 * (the jitter Socket.IO's client uses too). Not down to 0 ms: an EventSource retries for ever at this pace.
 */
export function retryHintMs(random: () => number = Math.random): number {
  return Math.round(SSE_RETRY_MS * (0.5 + random()));
}
