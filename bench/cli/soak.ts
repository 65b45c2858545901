import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { captureStdout, recordPrinted } from "../output/results-file.ts";
import { formatSoak } from "../output/soak-report.ts";
import { runSoak, SOAK_DEFAULTS } from "../scenarios/soak.ts";

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string" },
      minutes: { type: "string" },
      redis: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run soak [-- --minutes 5 | --seconds 15] [--redis]");
    process.exit(0);
  }
  const seconds = values.minutes ? Number(values.minutes) * 60 : Number(values.seconds ?? SOAK_DEFAULTS.seconds);
  if (!(seconds > 0)) {
    console.error("usage: npm run soak [-- --minutes 5 | --seconds 15] [--redis]");
    process.exit(2);
  }
  const onPhase = (phase: string) => console.error(`soak: ${phase}`);
  const startLoad = loadavg()[0]!;
  const printed = captureStdout(); // BENCH_RECORD=<run id>: the figures the docs quote
  const result = await runSoak({ ...SOAK_DEFAULTS, seconds, redis: values.redis, onPhase });
  console.log(formatSoak(result));
  await recordPrinted("npm run soak", startLoad, printed());
  process.exit(result.problems.length === 0 ? 0 : 1);
}
