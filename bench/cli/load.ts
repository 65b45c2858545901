/** `npm run load [-- options]`: the options, then the load (scenarios/load.ts) and what it printed (output/load-report.ts). */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { captureStdout, recordPrinted } from "../output/results-file.ts";
import { pathToFileURL } from "node:url";
import { formatFullRoom, formatLoad } from "../output/load-report.ts";
import { runFullRoom } from "../scenarios/full-room.ts";
import { classRunCli } from "./tab-cost.ts";
import { LOAD_DEFAULTS, runLoad, type LoadOptions } from "../scenarios/load.ts";

const HELP = `npm run load [-- options]

  --sockets N    WebSocket clients                        (default ${LOAD_DEFAULTS.sockets})
  --pollers N    polling clients                          (default ${LOAD_DEFAULTS.pollers})
  --others N     clients of each other mode (long polling, SSE, …) (default ${LOAD_DEFAULTS.others})
  --duration S   seconds of publishing                    (default ${LOAD_DEFAULTS.duration})
  --rate R       messages per second                      (default ${LOAD_DEFAULTS.rate})
  --interval MS  poll interval                            (default ${LOAD_DEFAULTS.interval})
  --full-room N  then the room full at npm start's real caps (1: yes, 0: no; default 1): a newcomer and the teacher
                 must get in (bench/scenarios/full-room.ts)
  --browser N    the class in N real Chromium tabs instead (half /polling, half /socket; --duration default 30,
                 --rate default 2, the bot's): each tab's latency and renderer CPU (bench/scenarios/tab-cost.ts)`;

export function parseLoadArgs(argv: string[]): LoadOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries([
      ...[...Object.keys(LOAD_DEFAULTS), "full-room"].map((key) => [key, { type: "string" }]),
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

/** `--full-room 0` skips the full room; it runs by default. */
const fullRoomWanted = (argv: string[]) => parseArgs({ args: argv, strict: false }).values["full-room"] !== "0";

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
  const startLoad = loadavg()[0]!;
  const printed = captureStdout(); // BENCH_RECORD=<run id>: the figures the docs quote (bench/output/results-file.ts)
  const onPhase = (phase: string) => console.error(`load: ${phase}`);
  const result = await runLoad({ ...options, onPhase });
  console.log(formatLoad(result, options));
  const fullRoom = fullRoomWanted(process.argv.slice(2)) ? await runFullRoom(onPhase) : undefined;
  if (fullRoom) console.log(`\n${formatFullRoom(fullRoom)}`);
  await recordPrinted("npm run load", startLoad, printed());
  process.exit(result.ok && (fullRoom?.ok ?? true) ? 0 : 1);
}
