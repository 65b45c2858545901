import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { captureStdout, recordPrinted } from "../output/results-file.ts";
import { formatFsyncCost } from "../output/fsync-report.ts";
import { FSYNC_COST_DEFAULTS, measureFsyncCost, type FsyncCostOptions } from "../scenarios/fsync-cost.ts";

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      posts: { type: "string" },
      rounds: { type: "string" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      `usage: npm run bench:fsync [-- --posts N (default ${FSYNC_COST_DEFAULTS.posts}) --rounds N (default ${FSYNC_COST_DEFAULTS.rounds}) --dir DIR]`,
    );
    process.exit(0);
  }
  const options: FsyncCostOptions = {
    posts: Number(values.posts ?? FSYNC_COST_DEFAULTS.posts),
    rounds: Number(values.rounds ?? FSYNC_COST_DEFAULTS.rounds),
    dir: values.dir ?? FSYNC_COST_DEFAULTS.dir,
  };
  if (!(options.posts > 0 && options.rounds > 0)) {
    console.error("error: --posts and --rounds must be positive numbers");
    process.exit(2);
  }
  const startLoad = loadavg()[0]!;
  const printed = captureStdout(); // BENCH_RECORD=<run id>: the figures the docs quote
  console.log(formatFsyncCost(await measureFsyncCost(options), options));
  await recordPrinted("npm run bench:fsync", startLoad, printed());
}
