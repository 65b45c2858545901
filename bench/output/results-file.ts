import { readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { tableRows } from "./print.ts";
import type { BenchReport } from "./json.ts";

/**
 * The recorded results every document quotes (docs/results.json; test/docs/results.test.ts holds the documents to
 * it). `BENCH_RECORD=<run id> npm run bench -- …` records this run under that id, replacing the run of that id:
 * the command, the time, the load average, and the report's table, row by row, as the Markdown report prints it.
 * Without BENCH_RECORD nothing is written. BENCH_RESULTS names another file (the tests' own). The other commands
 * (`npm run load`, `npm run soak`, `npm run bench:fsync`, `tsx bench/cli/tab-cost.ts`) record the same way, with
 * what they print: every figure a run prints, besides the table, is kept under `printed`.
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
  /** The run's options (clients, interval, rate, duration, …), as the report prints them. */
  options?: Record<string, unknown>;
  /** Row label (mode) → column header → cell, as in the report's table (empty for a command without one). */
  table: Record<string, Record<string, string>>;
  /** What the run printed to stdout, line by line: the figures beside the table (machine probe, rooms, HTTP/2, …). */
  printed?: string[];
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
    options: { ...report.options },
    table,
  };
}

/**
 * Keeps what this process prints to stdout from now on, when BENCH_RECORD names a run (else keeps nothing); the
 * function returned gives it as lines, colours and blank lines taken out.
 */
export function captureStdout(env = process.env): () => string[] {
  const chunks: string[] = [];
  if (env.BENCH_RECORD) {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
  }
  return () =>
    chunks
      .join("")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's colour codes
      .replace(/\x1b\[[0-9;]*m/g, "")
      .split("\n")
      .map((line) => line.trimEnd())
      .filter(Boolean);
}

/** Writes `run` under BENCH_RECORD's id, replacing the whole run of that id: a figure it no longer has fails the docs test. */
async function write(run: RecordedRun, env: NodeJS.ProcessEnv): Promise<string> {
  const file = env.BENCH_RESULTS ?? RESULTS_FILE;
  const results = JSON.parse(await readFile(file, "utf8").catch(() => '{"about":"","runs":{}}')) as Results;
  results.runs[env.BENCH_RECORD!] = run;
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Records `report` in the results file when BENCH_RECORD names a run; returns the file written, if any. */
export async function recordResults(
  report: BenchReport,
  env = process.env,
  printed: string[] = [],
): Promise<string | undefined> {
  if (!env.BENCH_RECORD) return undefined;
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  return write({ ...recordOf(report, command), ...(printed.length > 0 ? { printed } : {}) }, env);
}

/**
 * Records a command without a bench report (`npm run load`, …) when BENCH_RECORD names a run: its command, the
 * time, the load average at its start and end, the machine, and what it printed.
 */
export async function recordPrinted(
  script: string,
  startLoad: number,
  printed: string[],
  env = process.env,
): Promise<string | undefined> {
  if (!env.BENCH_RECORD) return undefined;
  const loads = [startLoad, loadavg()[0]!].map((l) => Math.round(l * 10) / 10);
  const args = process.argv.slice(2).join(" ");
  return write(
    {
      command: !args ? script : script.startsWith("npm run") ? `${script} -- ${args}` : `${script} ${args}`,
      time: new Date().toISOString(),
      load: `${Math.min(...loads)}–${Math.max(...loads)}`,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.versions.node}, loopback`,
      source: "bench",
      table: {},
      printed,
    },
    env,
  );
}
