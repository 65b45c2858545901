import { summarize, type RunSummary } from "../analysis/aggregate.ts";
import { BENCH_MODES } from "../clients/modes.ts";
import { run, type GroupSpec } from "../scenarios/run.ts";

export interface LoadOptions {
  sockets: number;
  pollers: number;
  /** Clients of every other mode in bench/clients/modes.ts (long polling, SSE, …). */
  others: number;
  /** Seconds of publishing. */
  duration: number;
  /** Messages per second. */
  rate: number;
  /** Poll interval T, ms. */
  interval: number;
  onPhase?: (phase: string) => void;
}

export const LOAD_DEFAULTS: LoadOptions = {
  sockets: 1000,
  pollers: 1000,
  others: 100,
  duration: 60,
  rate: 10,
  interval: 1000,
};

export interface LoadResult {
  summary: RunSummary;
  /** Failed POSTs + failed client requests + reconnects (a socket that had to open twice was dropped under load). */
  errors: number;
  clientErrors: number;
  reconnects: number;
  lost: number;
  duplicated: number;
  /** Server CPU over the publish window, % of one core. */
  serverCpuPercent: number;
  serverPeakRssBytes: number;
  /** Modes in bench/clients/modes.ts besides polling and socket, run with `others` clients each. */
  otherModes: string[];
  ok: boolean;
}

/** The groups: sockets, pollers, and every other registered mode. */
export function loadGroups(options: LoadOptions): GroupSpec[] {
  const groups: GroupSpec[] = [];
  for (const mode of Object.values(BENCH_MODES)) {
    const clients =
      mode.name === "socket" ? options.sockets : mode.name === "polling" ? options.pollers : options.others;
    if (clients > 0) groups.push({ mode, clients });
  }
  return groups;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const groups = loadGroups(options);
  const record = await run({
    groups,
    interval: options.interval,
    duration: options.duration * 1000,
    rate: options.rate,
    arrivals: "steady",
    idle: 1000,
    onPhase: options.onPhase,
  });
  const summary = summarize(record);
  const clientErrors = summary.groups.reduce((sum, g) => sum + g.clientErrors, 0);
  const reconnects = summary.groups.reduce((sum, g) => sum + Math.max(0, g.reconnects), 0);
  const errors = summary.publisher.errors + clientErrors + reconnects;
  const lost = summary.groups.reduce((sum, g) => sum + g.lost, 0);
  const duplicated = summary.groups.reduce((sum, g) => sum + g.duplicated, 0);
  return {
    summary,
    errors,
    clientErrors,
    reconnects,
    lost,
    duplicated,
    serverCpuPercent: (summary.publish.serverCpuMs / summary.publish.ms) * 100,
    serverPeakRssBytes: summary.serverPeakRssBytes,
    otherModes: groups.map((g) => g.mode.name).filter((name) => name !== "polling" && name !== "socket"),
    ok: errors === 0 && lost === 0 && duplicated === 0 && summary.publisher.posted > 0,
  };
}
