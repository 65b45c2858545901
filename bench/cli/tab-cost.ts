/** `tsx bench/cli/tab-cost.ts [--quick] [--server label=url ...]`, and `npm run load -- --browser N`: the tab-cost scenarios with their argv and console. */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { captureStdout, recordPrinted } from "../output/results-file.ts";
import { formatClassRun, formatTabCost } from "../output/tab-cost-report.ts";
import { CLASS_RUN_DEFAULTS, runClass, runTabCost, TAB_COST_DEFAULTS, TAB_COST_QUICK } from "../scenarios/tab-cost.ts";

/** `npm run load -- --browser N [--duration S] [--rate R]`: the class run, printed; its exit code. */
export async function classRunCli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { browser: { type: "string" }, duration: { type: "string" }, rate: { type: "string" } },
    strict: false,
  });
  const number = (value: unknown, fallback: number) => (typeof value === "string" ? Number(value) : fallback);
  const tabs = number(values.browser, 30);
  const seconds = number(values.duration, CLASS_RUN_DEFAULTS.seconds);
  const rate = number(values.rate, CLASS_RUN_DEFAULTS.rate);
  if (![tabs, seconds, rate].every((n) => Number.isFinite(n) && n > 0)) {
    console.error("error: --browser N, --duration S and --rate R must be positive numbers");
    return 2;
  }
  const startLoad = loadavg()[0]!;
  const printed = captureStdout(); // BENCH_RECORD=<run id>: the figures the docs quote
  const result = await runClass({ tabs, seconds, rate, onPhase: (phase) => console.error(`load: ${phase}`) });
  for (const line of formatClassRun(result)) console.log(line);
  await recordPrinted("npm run load", startLoad, printed());
  return result.tabs.every((tab) => tab.seen === result.posted) ? 0 : 1;
}

/** `tsx bench/tab-cost.ts [--quick] [--server label=url ...]`: the table alone (npm run bench -- --browser prints it too). */
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { quick: { type: "boolean" }, server: { type: "string", multiple: true } },
  });
  const servers = values.server?.map((pair) => {
    const [label, url] = pair.split("=");
    return { label: `${label} `, url: url! };
  });
  const base = values.quick ? TAB_COST_QUICK : TAB_COST_DEFAULTS;
  const startLoad = loadavg()[0]!;
  const printed = captureStdout(); // BENCH_RECORD=<run id>: the figures the docs quote
  const result = await runTabCost({ ...base, servers, onPhase: (phase) => console.error(`tab cost: ${phase}`) });
  for (const line of formatTabCost(result)) console.log(line);
  await recordPrinted("tsx bench/cli/tab-cost.ts", startLoad, printed());
}
