import { cpus, totalmem } from "node:os";
import type { RunSummary } from "../analysis/aggregate.ts";
import { project, type Projection } from "../analysis/projection.ts";
import { ratioRows, ratioSpread, type RatioRow, type SpreadRow } from "../analysis/ratios.ts";
import { sweepSlopes, type SeriesSlopes } from "../analysis/slopes.ts";
import type { MachineProbe } from "../core/records.ts";

/** Everything a bench invocation produced; the JSON file is exactly this. */
export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string; network: string };
  /** The options as given (after defaults). */
  options: Record<string, unknown>;
  sweep: boolean;
  summaries: RunSummary[];
  /** With --floor and --rivals: our WebSocket figures as ratios to theirs, targets judged (ratios.ts). */
  ratios: RatioRow[];
  /** With --runs N: each ratio's median and range over the N interleaved runs, and the runs that met its target. */
  ratioSpread: SpreadRow[];
  /** Each mode's costs fitted against clients (a sweep), and their projection to 30, 1,000 and 100,000 clients. */
  slopes: SeriesSlopes[];
  projection: Projection[];
  /** With --machine: what this machine's loopback costs before any server code (machine-probe.ts). */
  machineProbe?: MachineProbe;
  /** True if any run lost or duplicated a message, or a POST failed. */
  failed: boolean;
}

export function createReport(
  options: Record<string, unknown>,
  summaries: RunSummary[],
  sweep = false,
  machineProbe?: MachineProbe,
): BenchReport {
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryBytes: totalmem(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      network: "loopback (127.0.0.1)",
    },
    options,
    sweep,
    summaries,
    ratios: ratioRows(summaries),
    ratioSpread: ratioSpread(ratioRows(summaries)),
    slopes: sweepSlopes(summaries),
    projection: project(sweepSlopes(summaries)),
    machineProbe,
    failed: summaries.some((s) => s.failed),
  };
}

export const toJson = (report: BenchReport) => `${JSON.stringify(report, null, 2)}\n`;
