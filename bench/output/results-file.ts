import { readFile, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { tableRows } from "./print.ts";
import type { BenchReport } from "./json.ts";

/**
 * The recorded results every document quotes (docs/results.json; test/docs/results.test.ts holds the documents to
 * it). `BENCH_RECORD=<run id> npm run bench -- …` records this run under that id, replacing the run of that id:
 * the command, the time, the load average, and the report's table, row by row, as the Markdown report prints it.
 * Without BENCH_RECORD nothing is written. BENCH_RESULTS names another file (the tests' own).
 */
const RESULTS_FILE = "docs/results.json";

export interface RecordedRun {
  command: string;
  /** ISO time the report was made (the end of the run). */
  time: string;
  /** 1-minute load average: lowest and highest at the end of each mode's publishing, and at the end of the run. */
  load: string;
  machine: string;
  /** Where the figures come from: "bench" when recorded by this module, else the document they were copied from. */
  source: string;
  /** Anything quoted beside the table (a model's prediction, a range over repeated runs), named. */
  figures?: Record<string, string>;
  /** Row label (mode) → column header → cell, as in the report's table. */
  table: Record<string, Record<string, string>>;
}

export interface Results {
  about: string;
  runs: Record<string, RecordedRun>;
}

/** The run as a record: its table's cells by mode and column. */
function recordOf(report: BenchReport, command: string): RecordedRun {
  const [header, ...rows] = tableRows(report.summaries);
  const table: RecordedRun["table"] = {};
  for (const row of rows) table[row[0]!] = Object.fromEntries(header!.slice(1).map((name, i) => [name, row[i + 1]!]));
  const loads = [...report.summaries.map((s) => s.loadAverage), loadavg()[0]!].map((l) => Math.round(l * 10) / 10);
  const m = report.machine;
  return {
    command,
    time: report.date,
    load: `${Math.min(...loads)}–${Math.max(...loads)}`,
    machine: `${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.network}`,
    source: "bench",
    table,
  };
}

/** Records `report` in the results file when BENCH_RECORD names a run; returns the file written, if any. */
export async function recordResults(report: BenchReport, env = process.env): Promise<string | undefined> {
  const id = env.BENCH_RECORD;
  if (!id) return undefined;
  const file = env.BENCH_RESULTS ?? RESULTS_FILE;
  const results = JSON.parse(await readFile(file, "utf8").catch(() => '{"about":"","runs":{}}')) as Results;
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  results.runs[id] = recordOf(report, command); // the whole run is replaced: a figure it no longer has fails the docs test
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
