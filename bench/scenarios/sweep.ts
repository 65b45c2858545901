import type { BenchMode } from "../clients/modes.ts";
import type { RunOptions } from "./run.ts";

export type PlannedRun = Omit<RunOptions, "onPhase" | "onPosted">;

export const SWEEP_CLIENTS = [1, 10, 100, 1000];
export const SWEEP_INTERVALS = [250, 1000, 5000];
/** How cost grows to a stream's size: one more run per mode, at the slowest interval for pollers (2,000 requests/s). */
const SWEEP_LARGEST = 10_000;

/**
 * The sweep grid. A mode that does not poll costs the same at every interval, so it runs once per client count.
 * Each run publishes for max(4 s, 2 T) and measures idle cost over max(1 s, T), so the whole sweep stays under
 * 5 minutes on 2 cores. Then SWEEP_LARGEST clients per mode (pollers at T = 5000 ms), their clients spread over
 * worker processes (client-workers.ts): the whole sweep in under 10 minutes. Last, the heaviest mix: 1000 of every
 * mode at T = 1000 ms on one server at once.
 */
export function sweepPlan(modes: BenchMode[], rate: number): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const mode of modes) {
    const intervals = mode.usesInterval ? SWEEP_INTERVALS : [SWEEP_INTERVALS[1]!];
    for (const interval of intervals) {
      const largest = interval === intervals.at(-1) ? [SWEEP_LARGEST] : [];
      for (const clients of [...SWEEP_CLIENTS, ...largest]) {
        runs.push({
          groups: [{ mode, clients }],
          interval,
          duration: Math.max(4000, 2 * interval),
          rate,
          idle: Math.max(1000, interval),
        });
      }
    }
  }
  runs.push({
    groups: modes.map((mode) => ({ mode, clients: 1000 })),
    interval: 1000,
    duration: 5000,
    rate,
    idle: 1000,
  });
  return runs;
}
