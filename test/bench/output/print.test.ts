import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { formatTable, notes, printSummaries, tableRows, wrap, type PrintOptions } from "../../../bench/output/print.ts";
import type { BenchReport } from "../../../bench/output/json.ts";
import { toHtml } from "../../../bench/output/html.ts";
import { toMarkdown } from "../../../bench/output/markdown.ts";

/** Terminal columns a line takes: one per code point (the bench prints no wide or combining characters). */
const columns = (line: string) => [...line].length;
const words = (lines: string[]) => lines.join(" ").split(/\s+/).filter(Boolean);

// The columns of the table before its default view was cut to fit a terminal: --wide and the reports keep them all.
const EVERY_COLUMN = (
  "mode,clients,T ms,p50 ms,p90 ms,p99 ms,max ms,mean ms,model mean,lost,dup,errors,requests,empty,upgrades," +
  "bytes in,bytes out,B/msg,req/msg,srv CPU ms,cli CPU ms,srv RSS"
).split(",");

// The real `npm run bench -- --quick`, shortened (3 clients, 1 s of publishing): its stdout is not a terminal, so it
// wraps to 100 columns, and its JSON report holds the summaries the checks below print again.
let dir: string;
let stdout: string;
let report: BenchReport;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bench-print-"));
  const args = [
    "--quick",
    "--clients",
    "3",
    "--duration",
    "1",
    "--arrivals",
    "steady",
    "--out",
    dir,
    "--json",
    `${dir}/r.json`,
  ];
  const cli = ["--import", "tsx", "bench/cli/bench.ts", ...args];
  ({ stdout } = await promisify(execFile)(process.execPath, cli, { timeout: 170_000 }));
  report = JSON.parse(await readFile(join(dir, "r.json"), "utf8"));
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

function printed(summaries: RunSummary[], options: PrintOptions): string[] {
  const lines: string[] = [];
  printSummaries(summaries, { ...options, write: (text) => lines.push(...text.split("\n")) });
  return lines;
}

describe("the bench's table in a terminal", () => {
  it("npm run bench -- --quick prints at most 100 columns: table, legend, notes and report paths", () => {
    const lines = stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(report.summaries.length + 3);
    for (const line of lines) expect(columns(line), line).toBeLessThanOrEqual(100);
    // Its first line is the default view's header; every column of the wide table is in the reports, not here.
    expect(lines[0]!.trim().split(/\s{2,}/)).toEqual(tableRows(report.summaries, "brief")[0]);
  });

  it("the default view: mode, clients, latency, lost, requests, bytes, server CPU; units in the headers", () => {
    const header = "mode,clients,T ms,p50 ms,p99 ms,lost,requests,B/msg,idle B/s,CPU µs/msg".split(",");
    expect(tableRows(report.summaries, "brief")[0]).toEqual(header);
  });

  it("the notes lose no word to wrapping, at 100 columns or at a narrow terminal's 60", () => {
    for (const width of [100, 60]) {
      const lines = printed(report.summaries, { width });
      const notesStart = lines.indexOf("") + 1;
      for (const line of lines.slice(notesStart)) expect(columns(line), line).toBeLessThanOrEqual(width);
      expect(words(lines.slice(notesStart))).toEqual(words(notes(report.summaries)));
    }
  });

  it("--wide keeps every column, and so do the Markdown and HTML reports", () => {
    const wide = tableRows(report.summaries, "wide")[0]!;
    expect(wide).toEqual(expect.arrayContaining([...EVERY_COLUMN, ...tableRows(report.summaries, "brief")[0]!]));
    expect(
      printed(report.summaries, { wide: true })[0]!
        .trim()
        .split(/\s{2,}/),
    ).toEqual(wide);
    expect(toMarkdown(report)).toContain(`| ${wide.join(" | ")} |`);
    expect(toHtml(report)).toContain(wide.map((h) => `<th>${h}</th>`).join(""));
  });

  it("no figure is lost between views: each default column's value is the wide table's, as printed", () => {
    const [briefHeader, ...briefRows] = tableRows(report.summaries, "brief");
    const [wideHeader, ...wideRows] = tableRows(report.summaries, "wide");
    expect(briefRows).toHaveLength(report.summaries.flatMap((s) => s.groups).length);
    for (const [i, header] of briefHeader!.entries()) {
      const j = wideHeader!.indexOf(header);
      for (const [r, row] of briefRows.entries()) expect(row[i], `${header}, row ${r}`).toBe(wideRows[r]![j]);
    }
    // What the terminal shows is those rows, cell for cell (columns are two or more spaces apart).
    const lines = printed(report.summaries, {});
    for (const [r, row] of briefRows.entries()) expect(lines[2 + r]!.trim().split(/\s{2,}/)).toEqual(row);
  });

  it("the per-message and per-second figures are the run's measured totals, divided, nothing more", () => {
    for (const s of report.summaries) {
      const delivered = s.groups.reduce((sum, g) => sum + g.delivered, 0);
      expect(s.perMessage.serverCpuMicros * delivered).toBeCloseTo(s.publish.serverCpuMs * 1000, 6);
      expect((s.idleBytesPerSecond * s.idle.ms) / 1000).toBeCloseTo(s.idle.bytesIn + s.idle.bytesOut, 6);
    }
  });

  it("the widest row a --sweep or --browser run makes (longest mode in tabs, 1000 clients, T = 5 s) still fits", () => {
    const s = report.summaries[0]!;
    const longest = Object.keys(BENCH_MODES).sort((a, b) => b.length - a.length)[0]!;
    const widest: RunSummary = {
      ...s,
      interval: 5000,
      groups: [
        {
          ...s.groups[0]!,
          mode: longest,
          where: "browser",
          clients: 1000,
          latency: { ...s.groups[0]!.latency, p50: 2500, p99: 4999 },
        },
      ],
      publish: { ...s.publish, requests: 1_000_000 },
      perMessage: { ...s.perMessage, bytes: 9999, serverCpuMicros: 9999 },
      idleBytesPerSecond: 9_999_999,
    };
    const table = formatTable(tableRows([...report.summaries, widest], "brief")).split("\n");
    for (const line of table) expect(columns(line), line).toBeLessThanOrEqual(100);
  });
});

describe("wrap", () => {
  it("breaks between a note's parts first, between words only inside a part longer than a line", () => {
    expect(wrap("head: one two; three four; five", 20)).toEqual(["head: one two;", "  three four; five"]);
    expect(wrap("  ! a long problem that goes on", 16)).toEqual(["  ! a long", "    problem that", "    goes on"]);
  });

  it("cuts a word longer than a whole line rather than let it stick out, and keeps every character", () => {
    const path = "/a/very/long/path/to/a/report/file.html";
    const lines = wrap(`Reports: ${path}`, 24);
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(24);
    expect(lines.map((l) => l.trim()).join("")).toBe(`Reports:${path}`);
  });
});
