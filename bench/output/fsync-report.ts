import type { FsyncCost, FsyncCostOptions } from "../scenarios/fsync-cost.ts";

export function formatFsyncCost(cost: FsyncCost, options: FsyncCostOptions): string {
  const rows = cost.modes.map(
    (m) =>
      `  --fsync ${m.fsync.padEnd(6)}  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ` +
      `${Math.round(m.postsPerSecond)} posts/s`,
  );
  return [
    `POST /messages, one at a time, ${options.posts} x ${options.rounds} rounds per mode, log in ${options.dir} ` +
      `on ${cost.fileSystem}; load average ${cost.load.map((l) => l.toFixed(2)).join(" ")}`,
    ...rows,
    `  always is ${cost.latencyRatio.toFixed(2)}x the latency (p50) and ` +
      `${cost.throughputRatio.toFixed(2)}x fewer posts/s`,
  ].join("\n");
}
