import { REDIS_LOSS, type SoakResult } from "../scenarios/soak.ts";
import { SOAK_MAX_BYTES_PER_POST } from "../scenarios/soak-compaction.ts";

export function formatSoak(result: SoakResult): string {
  const { acked, refused, unknown, delivered, restarts, redisRestarts, lostWithRedis, compaction, problems } = result;
  return [
    `acknowledged ${acked}, refused ${refused} (disk full, Redis away), no answer ${unknown} (server down), ` +
      `delivered ${delivered}, restarts ${restarts}`,
    redisRestarts > 0
      ? `redis-server restarted empty ${redisRestarts} times; lost with its data: ${lostWithRedis} (${REDIS_LOSS})`
      : "",
    `log bytes written per post, compactions included: ${Math.round(compaction.noisyBytesPerPost)} for 500 control ` +
      `characters, then ${Math.round(compaction.shortBytesPerPost)} for a short one (bound ${SOAK_MAX_BYTES_PER_POST})`,
    problems.length === 0 ? "ok: every acknowledged message delivered exactly once and kept; nothing refused kept" : "",
    ...problems.map((problem) => `PROBLEM: ${problem}`),
  ]
    .filter(Boolean)
    .join("\n");
}
