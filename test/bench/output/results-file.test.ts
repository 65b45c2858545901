import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableRows } from "../../../bench/output/print.ts";
import type { BenchReport } from "../../../bench/output/json.ts";
import { recordResults, type Results } from "../../../bench/output/results-file.ts";

// The real `npm run bench -- --quick`, shortened (3 pollers, 1 s), with BENCH_RECORD: the results file gets the run,
// its table as the report's, its time and load; the other runs in the file stay as they were.
/** Only to stop a hung run: it takes ~7 s of CPU, yet 25 s at load 14 and over a minute beside a bench (test/README.md). */
const RUN_TIMEOUT_MS = 240_000;
let dir: string;
let results: Results;
let report: BenchReport;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bench-results-"));
  const file = join(dir, "results.json");
  const other = { command: "npm run bench", time: "2026-11-30T17:02Z", load: "1", machine: "", source: "", table: {} };
  await writeFile(
    file,
    JSON.stringify({ about: "test", runs: { other, probe: { ...other, figures: { stale: "1" } } } }),
  );
  const args = [
    "--quick",
    "--clients",
    "3",
    "--duration",
    "1",
    "--modes",
    "polling",
    "--out",
    dir,
    "--json",
    `${dir}/r.json`,
  ];
  await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/cli/bench.ts", ...args], {
    timeout: RUN_TIMEOUT_MS,
    env: { ...process.env, BENCH_RECORD: "probe", BENCH_RESULTS: file },
  });
  results = JSON.parse(await readFile(file, "utf8"));
  report = JSON.parse(await readFile(join(dir, "r.json"), "utf8"));
}, RUN_TIMEOUT_MS + 10_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("bench/output/results-file.ts", () => {
  it("records the run under BENCH_RECORD: command, time, load, and the report's table row by row", () => {
    const probe = results.runs.probe!;
    expect(probe.command).toBe(
      `npm run bench -- ${["--quick", "--clients", "3", "--duration", "1"].join(" ")} --modes polling --out ${dir} --json ${dir}/r.json`,
    );
    expect(probe.time).toBe(report.date);
    expect(probe.load).toMatch(/^\d+(\.\d)?–\d+(\.\d)?$/);
    expect(probe.source).toBe("bench");
    const [header, row] = tableRows(report.summaries);
    expect(probe.table[row![0]!]).toEqual(Object.fromEntries(header!.slice(1).map((name, i) => [name, row![i + 1]])));
    expect(probe.table.polling!["p50 ms"]).toMatch(/^\d/);
    // What it printed besides the table, line by line: the model's line with the run's own figures.
    expect(probe.printed?.find((line) => line.startsWith("polling, 3 clients"))).toMatch(/RTT [\d.]+ ms/);
  });

  it("replaces the whole run of that id (no stale figure survives) and leaves the others", () => {
    expect(results.runs.probe!.figures).toBeUndefined();
    expect(results.runs.other!.time).toBe("2026-11-30T17:02Z");
  });

  it("writes nothing without BENCH_RECORD", async () => {
    expect(await recordResults(report, {})).toBeUndefined();
  });
});
