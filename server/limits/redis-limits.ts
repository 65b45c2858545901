/** Limits on waiting for Redis (the scale-out broker, server/scale-out/). */

/** Redis (REDIS_URL set): how long the first connection may take before the server gives up with a clear error. */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;

/** Redis lost while running: reconnect attempts back off up to this, so a returning Redis is found within it. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 1000;

/** After Redis returns, catching up on missed messages is retried this often until it succeeds. */
export const REDIS_CATCH_UP_RETRY_MS = 250;
