import { REDIS_LOSS, type SoakResult } from "../scenarios/soak.ts";

export function formatSoak(result: SoakResult): string {
  const { acked, refused, unknown, delivered, restarts, redisRestarts, lostWithRedis, problems } = result;
  return [
    `acknowledged ${acked}, refused ${refused} (disk full, Redis away), no answer ${unknown} (server down), ` +
      `delivered ${delivered}, restarts ${restarts}`,
    redisRestarts > 0
      ? `redis-server restarted empty ${redisRestarts} times; lost with its data: ${lostWithRedis} (${REDIS_LOSS})`
      : "",
    problems.length === 0 ? "ok: every acknowledged message delivered exactly once and kept; nothing refused kept" : "",
    ...problems.map((problem) => `PROBLEM: ${problem}`),
  ]
    .filter(Boolean)
    .join("\n");
}
