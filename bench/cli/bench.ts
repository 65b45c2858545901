/**
 * `npm run bench [-- options]`: the command-line face of the bench library (run → aggregate → print/report).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { groupLabel, summarize, type RunSummary } from "../analysis/aggregate.ts";
import { probeMachine } from "../probes/machine-probe.ts";
import { BENCH_MODES, findModes } from "../clients/modes.ts";
import { machineProbeLines, printSummaries, terminalWidth, wrap } from "../output/print.ts";
import { ensureOpenFiles } from "../environment/nofile.ts";
import { Progress } from "../output/progress.ts";
import { latencyCdfChart } from "../output/charts.ts";
import { toHtml } from "../output/html.ts";
import { createReport, toJson } from "../output/json.ts";
import { toMarkdown } from "../output/markdown.ts";
import { findRedisServer, INSTALL_REDIS_HINT } from "../../server/scale-out/redis-process.ts";
import { measureHandshakes, roomProxy, roomRows, type RoomPass } from "../scenarios/room.ts";
import { run, type RunOptions } from "../scenarios/run.ts";
import { rivalRuns } from "../scenarios/rivals.ts";
import { FLOOR_MODES, floorServes } from "../servers/server-process.ts";
import { formatStorm, stormChart } from "../output/storm-report.ts";
import { runStorm, STORM_DEFAULTS } from "../scenarios/storm.ts";
import { http2Lines } from "../output/http2-report.ts";
import { TLS_PROTOCOLS } from "../clients/tls-client.ts";
import { sweepPlan, type PlannedRun } from "../scenarios/sweep.ts";
import type { DelayProxy } from "../environment/delay-proxy.ts";
import { formatTable } from "../output/print.ts";
import type { MachineProbe } from "../core/records.ts";
import { captureStdout, recordPrinted, recordResults } from "../output/results-file.ts";
import { formatTabCost } from "../output/tab-cost-report.ts";
import { runTabCost, TAB_COST_DEFAULTS, TAB_COST_QUICK } from "../scenarios/tab-cost.ts";

const LESSON_MODES = "polling,socket";
const DEFAULTS = {
  clients: 100,
  duration: 10,
  interval: 1000,
  rate: 10,
  arrivals: "poisson",
  modes: Object.keys(BENCH_MODES).join(","),
  out: "bench/results",
  tabs: 3,
};

export const HELP = `npm run bench [-- options]

Starts the real server as a separate process, connects simulated clients (the very client modules the browser runs),
publishes messages, and reports what each mode cost to deliver them: latency, lost/duplicated, requests, bytes on
the wire (headers and frames included), server and client CPU, server memory. Exits 1 if a message was lost or
duplicated, or a request failed.

  --clients N      simulated clients per mode                   (default ${DEFAULTS.clients})
  --duration S     seconds of publishing per mode               (default ${DEFAULTS.duration})
  --interval MS    poll interval T                              (default ${DEFAULTS.interval})
  --rate R         messages per second                          (default ${DEFAULTS.rate})
  --arrivals A     poisson | steady                             (default ${DEFAULTS.arrivals})
  --modes LIST     comma-separated, from: ${Object.keys(BENCH_MODES).join(", ")} (default: all)
  --instances N    N server instances sharing the chat through Redis (needs redis-server), clients spread
                   over them; reports the broker's latency too (default 1: one process, no Redis)
  --together       all modes at once on one server (e.g. 1000 pollers + 1000 sockets), instead of one after another
  --quick          a small run, whole bench under 30 s (10 clients, 4 s, 1 s idle; modes ${LESSON_MODES} unless --modes)
  --sweep          clients 1, 10, 100, 1000 × interval 250, 1000, 5000 ms, 10,000 per mode (pollers at 5000 ms;
                   clients over worker processes), + 1000 pollers and 1000 sockets together; the slope of each cost
                   per added client, and a projection to 30, 1,000 and 100,000 clients (modes ${LESSON_MODES}
                   unless --modes)
  --browser [N]    the same modes in N real Chromium tabs through Playwright (default ${DEFAULTS.tabs}), besides the simulated clients;
                   then what our page costs a tab (renderer CPU and DOM, per page beside its ?bare twin, idle, the bot
                   at 2 msg/s, and a shortened lesson's slope: bench/scenarios/tab-cost.ts)
  --floor          the same runs against a framework-free floor server (node:http + ws, no Hono): what this machine
                   gives before our request handling; each right after our server's run, for the modes it speaks
                   (${FLOOR_MODES.join(", ")}; simulated clients, one instance)
  --rivals         the same WebSocket runs against a Socket.IO 4.8 server driven by socket.io-client (websocket
                   transport only, its defaults otherwise), and against our same app on Deno (npm run start:deno)
                   with our clients, each right after ours; every WebSocket figure (with --floor too) is printed as
                   a ratio to theirs, with the targets met or missed
  --runs N         the whole plan N times over, each pass ours then each twin (interleaved, so other work on the
                   machine weighs on all alike); with --floor/--rivals each ratio's median and range over the N
                   runs, and how many met its target (a majority is the bar)   (default 1)
  --machine        first measure what this machine's loopback costs before any server code (~7 s): keep-alive HTTP
                   and ws echo round trips to another process, back to back and 50 ms apart, and one frame written to
                   100 sockets; printed, and put in the reports. The runs follow as usual
  --wide           every column in the terminal's table (latency p90/max/mean, the model, dup, errors, empty,
                   upgrades, bytes in/out, req/msg, CPU ms, memory), not only those that fit 100 columns;
                   the Markdown and HTML reports always have every column
  --rtt LIST       the runs on loopback, then again with the clients behind a delay proxy of each round trip, ms
                   (e.g. 40 or 40,150; bench/environment/delay-proxy.ts); every mode unless --modes; each mode's latency and
                   handshake beside its model (bench/scenarios/room.ts)
  --storm          the reconnect storm instead (bench/scenarios/storm.ts): --clients sockets (default ${STORM_DEFAULTS.sockets})
                   and --streams SSE streams (default ${STORM_DEFAULTS.streams}) while --rate messages/s are posted;
                   the server is SIGKILLed and restarted --down ms later (default ${STORM_DEFAULTS.downMs}), same port
                   and data
  --http2          each HTTP mode over TLS twice, HTTP/1.1 and HTTP/2 (undici, one connection per client; tabs with
                   --browser), and the socket over wss://: bytes at the TCP socket under TLS, the first poll against
                   the steady state (HPACK), TLS bytes per record, server CPU per request (docs/http2.md)
  --json FILE      also write the JSON report to FILE
  --out DIR        where the JSON, Markdown and HTML reports go   (default ${DEFAULTS.out})
  -h, --help       this text`;

/** SSE streams of a storm: 0 is allowed (sockets only). */
const streamCount = (value: string | undefined) =>
  value === "0" ? 0 : Math.round(numberOption("streams", value, STORM_DEFAULTS.streams));

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

export function parseCli(argv: string[]) {
  // `--browser` takes an optional count: accept a bare `--browser` as the default.
  const args = [...argv];
  const b = args.indexOf("--browser");
  if (b >= 0 && (args[b + 1] === undefined || args[b + 1]!.startsWith("--")))
    args.splice(b + 1, 0, String(DEFAULTS.tabs));
  const { values } = parseArgs({
    args,
    options: {
      clients: { type: "string" },
      duration: { type: "string" },
      interval: { type: "string" },
      rate: { type: "string" },
      arrivals: { type: "string" },
      modes: { type: "string" },
      together: { type: "boolean" },
      instances: { type: "string" },
      quick: { type: "boolean" },
      sweep: { type: "boolean" },
      browser: { type: "string" },
      floor: { type: "boolean" },
      rivals: { type: "boolean" },
      machine: { type: "boolean" },
      runs: { type: "string" },
      wide: { type: "boolean" },
      rtt: { type: "string" },
      storm: { type: "boolean" },
      streams: { type: "string" },
      down: { type: "string" },
      http2: { type: "boolean" },
      json: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const quick = !!values.quick;
  const arrivals = values.arrivals ?? DEFAULTS.arrivals;
  if (arrivals !== "poisson" && arrivals !== "steady")
    throw new Error(`--arrivals must be poisson or steady, got "${arrivals}"`);
  const instances = Math.round(numberOption("instances", values.instances, 1));
  if (values.floor && instances > 1)
    throw new Error("--floor compares one server process with another; it does not go with --instances");
  if (values.http2 && (instances > 1 || values.floor || values.together || values.sweep)) {
    throw new Error(
      "--http2 compares protocols on one server, run after run; it does not go with --instances, --floor, --together or --sweep",
    );
  }
  return {
    help: !!values.help,
    clients: Math.round(numberOption("clients", values.clients, quick ? 10 : DEFAULTS.clients)),
    duration: numberOption("duration", values.duration, quick ? 4 : DEFAULTS.duration),
    interval: numberOption("interval", values.interval, DEFAULTS.interval),
    rate: numberOption("rate", values.rate, DEFAULTS.rate),
    arrivals: arrivals as "poisson" | "steady",
    // --quick and --sweep keep to the lesson's two modes unless asked for more: five modes would not fit their time.
    // --rtt compares every mode in the room, even --quick (whose durations it keeps).
    modes: findModes(
      (values.modes ?? ((quick || values.sweep) && !values.rtt ? LESSON_MODES : DEFAULTS.modes))
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean),
    ),
    rtt: values.rtt === undefined ? [] : values.rtt.split(",").map((ms) => numberOption("rtt", ms.trim(), 0)),
    storm: values.storm
      ? {
          sockets: Math.round(numberOption("clients", values.clients, STORM_DEFAULTS.sockets)),
          streams: streamCount(values.streams),
          rate: numberOption("rate", values.rate, STORM_DEFAULTS.rate),
          downMs: numberOption("down", values.down, STORM_DEFAULTS.downMs),
        }
      : undefined,
    together: !!values.together,
    instances,
    quick,
    sweep: !!values.sweep,
    browserTabs: values.browser === undefined ? 0 : Math.round(numberOption("browser", values.browser, DEFAULTS.tabs)),
    floor: !!values.floor,
    rivals: !!values.rivals,
    machine: !!values.machine,
    runs: Math.round(numberOption("runs", values.runs, 1)),
    wide: !!values.wide,
    http2: !!values.http2,
    json: values.json,
    out: values.out ?? DEFAULTS.out,
  };
}

export type CliOptions = ReturnType<typeof parseCli>;

/** The runs one invocation makes. */
export function plan(options: CliOptions): PlannedRun[] {
  if (options.sweep) return sweepPlan(options.modes, options.rate);
  const base = {
    instances: options.instances,
    interval: options.interval,
    duration: options.duration * 1000,
    rate: options.rate,
    arrivals: options.arrivals,
    idle: options.quick ? 1000 : undefined,
  };
  const runs: PlannedRun[] = options.together
    ? [{ ...base, groups: options.modes.map((mode) => ({ mode, clients: options.clients })) }]
    : options.modes.map((mode) => ({ ...base, groups: [{ mode, clients: options.clients }] }));
  if (options.browserTabs > 0) {
    for (const mode of options.modes)
      runs.push({ ...base, groups: [{ mode, clients: options.browserTabs, where: "browser" }] });
  }
  // --http2: every run over TLS, an HTTP mode once per protocol, the socket once: its page over h2, as a browser
  // loads it, and wss:// an HTTP/1.1 upgrade on a connection of its own whatever the page's protocol.
  if (options.http2) {
    return runs.flatMap((planned) =>
      (planned.groups[0]!.mode.socket ? ["h2" as const] : TLS_PROTOCOLS).map((tls) => ({ ...planned, tls })),
    );
  }
  const pass = runs.flatMap((planned) => [
    planned,
    ...(options.floor && onFloor(planned) ? [{ ...planned, server: "floor" as const }] : []),
    ...(options.rivals ? rivalRuns(planned) : []),
  ]);
  // --runs N: the pass again and again, not each run N times in a row, so a busy minute weighs on ours and theirs.
  return Array.from({ length: options.runs }, () => pass).flat();
}

const onFloor = (planned: PlannedRun) => floorServes(planned.groups);

/** With --floor: the one line that says which runs have no floor twin, and why (undefined when every run has one). */
export function floorSkipped(options: CliOptions): string | undefined {
  if (!options.floor) return undefined;
  const skipped = plan({ ...options, floor: false, rivals: false }).filter((planned) => !onFloor(planned));
  if (skipped.length === 0) return undefined;
  const names = [
    ...new Set(
      skipped.map((planned) =>
        planned.groups.map((g) => groupLabel({ mode: g.mode.name, where: g.where })).join(" + "),
      ),
    ),
  ];
  return `--floor: no floor run for ${names.join(", ")}: the floor server speaks only ${FLOOR_MODES.join(" and ")}, to simulated clients`;
}

async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (options.instances > 1 && !findRedisServer()) {
    console.error(
      `error: --instances ${options.instances} shares the chat through Redis, and redis-server was not found; ${INSTALL_REDIS_HINT}`,
    );
    return 2;
  }
  const printed = captureStdout(); // BENCH_RECORD: every figure the run prints, kept beside its table
  let machineProbe: MachineProbe | undefined;
  if (options.machine) {
    console.log("This machine (--machine):");
    machineProbe = await probeMachine();
    for (const line of machineProbeLines(machineProbe)) {
      for (const part of wrap(`  ${line}`, terminalWidth())) console.log(part);
    }
    console.log("");
  }
  if (options.storm) return storm(options.storm, options.out, printed);
  const runs = plan(options);
  ensureOpenFiles(Math.max(...runs.map((planned) => planned.groups.reduce((sum, g) => sum + g.clients, 0))));
  const skipped = floorSkipped(options);
  if (skipped) for (const line of wrap(skipped, terminalWidth())) console.log(line);
  const progress = new Progress();
  const summaries: RunSummary[] = [];
  // Without --rtt, one pass on loopback. With it, each run on loopback ("same building") and then in each room, side
  // by side, so that other work on the machine weighs on a run and its model's baseline alike.
  const rooms = options.rtt.length > 0 ? [0, ...options.rtt] : [undefined];
  const byRoom = new Map(rooms.map((rttMs) => [rttMs, [] as RunSummary[]]));
  for (const [i, planned] of runs.entries()) {
    for (const rttMs of rooms) {
      const proxies: DelayProxy[] = [];
      const route = rttMs
        ? async (url: string) => proxies[proxies.push(await roomProxy(url, rttMs)) - 1]!.url
        : undefined;
      const group = (g: PlannedRun["groups"][number]) =>
        groupLabel({ mode: g.mode.name, where: g.where }, planned.server, planned.tls);
      const label =
        `${i + 1}/${runs.length} ${planned.groups.map((g) => `${group(g)} ×${g.clients}`).join(" + ")} ` +
        `T=${planned.interval}${rttMs ? ` RTT=${rttMs}` : ""}`;
      if (!process.stderr.isTTY) console.error(`run ${label}`);
      progress.start(label, Math.round((planned.rate * planned.duration) / 1000));
      const runOptions: RunOptions = { ...planned, route, onPhase: progress.phase, onPosted: progress.posted };
      try {
        byRoom.get(rttMs)!.push(summarize(await run(runOptions)));
      } finally {
        progress.stop();
        await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
      }
    }
  }
  const handshakes = options.rtt.length > 0 ? await measureHandshakes(options.modes, [0, ...options.rtt]) : undefined;
  const passes: RoomPass[] = [];
  for (const [rttMs, pass] of byRoom) {
    if (rttMs !== undefined) {
      const where = `the clients behind bench/environment/delay-proxy.ts, ${rttMs / 2} ms each way; the publisher on the server's side`;
      console.log(rttMs ? `\nRTT ${rttMs} ms (${where}):` : "\nLoopback (same building):");
      passes.push({ rttMs, summaries: pass, handshakes: handshakes!.get(rttMs)! });
    }
    printSummaries(pass, { wide: options.wide });
    summaries.push(...pass);
  }
  for (const pass of passes.slice(1)) {
    console.log(`\nThe same chat at RTT ${pass.rttMs} ms against its model: the loopback run's figure + what the`);
    console.log(
      `network adds (bench/scenarios/room.ts); ms, "!" outside ±10 %. The tables' "model mean" above is loopback's.`,
    );
    console.log(`Handshakes: the least of 5 fresh connections, loopback and room in turn.\n`);
    console.log(formatTable(roomRows(pass, passes[0]!, options.modes)));
  }
  for (const line of http2Lines(summaries))
    for (const part of wrap(line, Math.max(terminalWidth(), 140))) console.log(part);
  // --browser: what our own page costs the tab, beside the transports' figures above (bench/scenarios/tab-cost.ts).
  if (options.browserTabs > 0 && !options.http2) {
    const base = options.quick ? TAB_COST_QUICK : TAB_COST_DEFAULTS;
    const costs = await runTabCost({ ...base, onPhase: (phase) => console.error(`tab cost: ${phase}`) });
    console.log(["", ...formatTabCost(costs)].join("\n"));
  }

  const { modes, ...shown } = options;
  const report = createReport({ ...shown, modes: modes.map((m) => m.name) }, summaries, options.sweep, machineProbe);
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, "-");
  const kind = options.sweep ? "sweep" : options.quick ? "quick" : "run";
  const files = {
    json: join(out, `bench-${kind}-${stamp}.json`),
    md: join(out, `bench-${kind}-${stamp}.md`),
    html: join(out, `bench-${kind}-${stamp}.html`),
    svg: join(out, `bench-${kind}-${stamp}-latency.svg`),
  };
  await writeFile(files.json, toJson(report));
  await writeFile(files.md, toMarkdown(report));
  await writeFile(files.html, toHtml(report));
  await writeFile(files.svg, `${latencyCdfChart(summaries)}\n`);
  if (options.json) {
    await mkdir(dirname(resolve(options.json)), { recursive: true });
    await writeFile(options.json, toJson(report));
  }
  const recorded = await recordResults(report, process.env, printed()); // BENCH_RECORD=<run id>: the figures the docs quote
  if (recorded) console.log(`recorded as "${process.env.BENCH_RECORD}" in ${recorded}`);
  // Paths under the working directory are shown relative to it: short enough for the terminal's width.
  const near = (file: string, from = relative(process.cwd(), file)) => (from.startsWith("..") ? file : from);
  const written = [files.html, files.md, files.json, files.svg, ...(options.json ? [resolve(options.json)] : [])];
  console.log(`\nReports: ${written.map((file) => near(file)).join("\n         ")}`);
  if (report.failed) console.error("FAILED: messages were lost or duplicated, or requests failed.");
  return report.failed ? 1 : 0;
}

/** `--storm`: one storm, printed, its chart and figures written to `out`; 1 if anything was lost or failed. */
async function storm(options: NonNullable<CliOptions["storm"]>, out: string, printed: () => string[]): Promise<number> {
  const startLoad = loadavg()[0]!;
  const result = await runStorm({ ...options, onPhase: (phase) => console.error(`storm: ${phase}`) });
  console.log(formatStorm(result));
  await recordPrinted("npm run bench", startLoad, printed());
  await mkdir(resolve(out), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const files = { svg: join(resolve(out), `storm-${stamp}.svg`), json: join(resolve(out), `storm-${stamp}.json`) };
  await writeFile(files.svg, `${stormChart(result)}\n`);
  await writeFile(files.json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nChart:   ${files.svg}\nFigures: ${files.json}`);
  return result.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
