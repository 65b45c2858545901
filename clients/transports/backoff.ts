/** First reconnect ceiling: the n-th retry waits up to FIRST_RECONNECT_DELAY_MS · 2^n. */
export const FIRST_RECONNECT_DELAY_MS = 250;

/**
 * Longest wait between reconnect attempts. Full jitter lets clients retry more often early on, so by the time a
 * restarted server is back many have reached the cap: the cap bounds how long after its return the last one comes
 * back. 5 s, as Socket.IO's default reconnectionDelayMax (10 s here made the last of 1000 sockets 9 s late).
 */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * How long to wait before retry number `attempt` (0, 1, 2, …): exponential backoff with "full jitter", a random
 * wait between 0 and the ceiling. Without the random part every client that lost the server at the same moment
 * retries at the same moments (a thundering herd: 1000 sockets, 535 attempts in one 100 ms window); with it, the
 * attempts spread evenly over each ceiling (npm run bench -- --storm, docs/real-rooms.md).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(MAX_RECONNECT_DELAY_MS, FIRST_RECONNECT_DELAY_MS * 2 ** attempt);
}
