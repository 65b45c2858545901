/**
 * A browser cannot see WebSocket pings, and a dead link (laptop asleep, Wi-Fi gone) may never fire `close`.
 * The server sends a frame at least every HEARTBEAT_INTERVAL_MS (30 s, server/limits/waiting-limits.ts), so this much silence
 * means the link is dead: two heartbeats missed, plus slack.
 */
export const SILENCE_TIMEOUT_MS = 75_000;

/**
 * Calls `onDead` once `timeout` ms pass without `heard()`. `heard()` runs on every frame, so it only notes the time;
 * the one timer, when it fires, waits again for whatever is left (cheaper than a new timer per frame).
 */
export function watchSilence(onDead: () => void, timeout = SILENCE_TIMEOUT_MS) {
  let lastHeard = Date.now();
  const check = () => {
    const left = lastHeard + timeout - Date.now();
    if (left > 0) timer = setTimeout(check, left);
    else onDead();
  };
  let timer = setTimeout(check, timeout);
  return {
    heard() {
      lastHeard = Date.now();
    },
    stop: () => clearTimeout(timer),
  };
}
