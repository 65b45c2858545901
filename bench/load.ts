/**
 * `npm run load [-- options]`: the classroom under load. 1000 sockets + 1000 pollers + 100 clients of every other
 * mode in bench/modes.ts (conditional polling, long polling, SSE) on one real server process for 60 s, with a steady
 * publisher, loopback only. Prints errors, messages lost, server RSS and CPU, and delivery p99 per mode; exits 1 on
 * any error or loss. Built from the bench library (run → summarize); this file only chooses the load and judges it.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { formatBytes } from "../shared/format-bytes.ts";
import { round, summarize, type RunSummary } from "./aggregate.ts";
import { BENCH_MODES } from "./modes.ts";
import { formatTable } from "./print.ts";
import { run, type GroupSpec } from "./run.ts";
import { classRunCli } from "./tab-cost.ts";

export interface LoadOptions {
  sockets: number;
  pollers: number;
  /** Clients of every other mode in bench/modes.ts (long polling, SSE, …). */
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
  /** Modes in bench/modes.ts besides polling and socket, run with `others` clients each. */
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

export function formatLoad(result: LoadResult, options: LoadOptions): string {
  const { summary } = result;
  const rows = [
    ["mode", "clients", "delivered", "lost", "dup", "p50 ms", "p99 ms", "max ms"],
    ...summary.groups.map((g) => [
      g.mode,
      String(g.clients),
      `${g.delivered}/${g.expected}`,
      String(g.lost),
      String(g.duplicated),
      String(round(g.latency.p50)),
      String(round(g.latency.p99)),
      String(round(g.latency.max)),
    ]),
  ];
  const missing = ["long polling", "SSE"].filter(
    (name) => !result.otherModes.some((m) => m.replace(/[^a-z]/g, "").includes(name === "SSE" ? "sse" : "longpoll")),
  );
  return [
    `Load: ${summary.clients} clients on one server (loopback), ${summary.publisher.posted} messages at ${options.rate}/s (steady) ` +
      `over ${options.duration} s, poll interval ${options.interval} ms`,
    "",
    formatTable(rows),
    "",
    `errors          ${result.errors}  (failed POSTs ${summary.publisher.errors}, failed client requests ${result.clientErrors}, reconnects ${result.reconnects})`,
    `messages lost   ${result.lost}  (duplicated ${result.duplicated})`,
    `server RSS      ${formatBytes(result.serverPeakRssBytes)} peak`,
    `server CPU      ${round(result.serverCpuPercent)} % of one core during publishing (${round(summary.publish.serverCpuMs / 1000)} s CPU in ${round(summary.publish.ms / 1000)} s)`,
    `client CPU      ${round(summary.clientCpuMs / 1000)} s (this process: every simulated client and the publisher)`,
    ...(missing.length > 0 ? [`not run          ${missing.join(", ")}: no such mode in bench/modes.ts yet`] : []),
    "",
    result.ok ? "OK: no errors, nothing lost." : "FAILED: errors or lost messages (see above).",
  ].join("\n");
}

const HELP = `npm run load [-- options]

  --sockets N    WebSocket clients                        (default ${LOAD_DEFAULTS.sockets})
  --pollers N    polling clients                          (default ${LOAD_DEFAULTS.pollers})
  --others N     clients of each other mode (long polling, SSE, …) (default ${LOAD_DEFAULTS.others})
  --duration S   seconds of publishing                    (default ${LOAD_DEFAULTS.duration})
  --rate R       messages per second                      (default ${LOAD_DEFAULTS.rate})
  --interval MS  poll interval                            (default ${LOAD_DEFAULTS.interval})
  --browser N    the class in N real Chromium tabs instead (half /polling, half /socket; --duration default 30,
                 --rate default 2, the bot's): each tab's latency and renderer CPU (bench/tab-cost.ts)`;

export function parseLoadArgs(argv: string[]): LoadOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries([
      ...Object.keys(LOAD_DEFAULTS).map((key) => [key, { type: "string" }]),
      ["help", { type: "boolean", short: "h" }],
    ]) as Record<string, { type: "string" } | { type: "boolean"; short: string }>,
  });
  if (values.help) return "help";
  const options = { ...LOAD_DEFAULTS };
  for (const key of Object.keys(LOAD_DEFAULTS) as (keyof LoadOptions)[]) {
    const raw = values[key];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} must be a non-negative number, got "${raw}"`);
    (options as Record<string, unknown>)[key] = n;
  }
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv.includes("--browser")) {
  process.exit(await classRunCli(process.argv.slice(2)));
}
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  let options: LoadOptions | "help";
  try {
    options = parseLoadArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === "help") {
    console.log(HELP);
    process.exit(0);
  }
  const result = await runLoad({ ...options, onPhase: (phase) => console.error(`load: ${phase}`) });
  console.log(formatLoad(result, options));
  process.exit(result.ok ? 0 : 1);
}
