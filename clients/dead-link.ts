/**
 * A browser cannot see WebSocket pings, and a dead link (laptop asleep, Wi-Fi gone) may never fire `close`.
 * The server sends a frame at least every HEARTBEAT_INTERVAL_MS (30 s, server/limits.ts), so this much silence
 * means the link is dead: two heartbeats missed, plus slack.
 */
export const SILENCE_TIMEOUT_MS = 75_000;

/** Calls `onDead` once `timeout` ms pass without `heard()`. */
export function watchSilence(onDead: () => void, timeout = SILENCE_TIMEOUT_MS) {
  let timer = setTimeout(onDead, timeout);
  return {
    heard() {
      clearTimeout(timer);
      timer = setTimeout(onDead, timeout);
    },
    stop: () => clearTimeout(timer),
  };
}
