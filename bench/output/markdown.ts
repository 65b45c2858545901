import { machineProbeLines, notes, tableRows } from "./print.ts";
import {
  missLines,
  RATIO_HEADING,
  RATIO_LEGEND,
  ratioTable,
  SPREAD_LEGEND,
  spreadHeading,
  spreadTable,
} from "../analysis/ratios.ts";
import { GROWTH_HEADING, PROJECTION_NOTE, projectionTable } from "../analysis/projection.ts";
import { slopeLines } from "../analysis/slopes.ts";
import type { BenchReport } from "./json.ts";

/** A Markdown table of the runs, with the machine and date, ready to paste into a README. */
export function toMarkdown(report: BenchReport): string {
  const rows = tableRows(report.summaries);
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const m = report.machine;
  const table = (rows: string[][]) => [
    line(rows[0]!),
    line(rows[0]!.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.slice(1).map(line),
  ];
  return [
    `# Benchmark: polling vs WebSocket`,
    ``,
    `${report.date} · ${m.cpus} × ${m.cpuModel} · ${m.node} · ${m.platform} · ${m.network}`,
    ``,
    `Options: \`${JSON.stringify(report.options)}\``,
    ``,
    ...table(rows),
    ``,
    ...notes(report.summaries).map((n) => (n.startsWith("  !") ? `  - ${n.slice(2)}` : `- ${n}`)),
    ``,
    ...(report.ratios.length > 0
      ? [
          `## ${RATIO_HEADING}`,
          ``,
          ...table(ratioTable(report.ratios)),
          ``,
          RATIO_LEGEND,
          ``,
          ...missLines(report.ratios).map((l) => `- ${l}`),
          ``,
        ]
      : []),
    ...((report.ratioSpread ?? []).length > 0
      ? [
          `## ${spreadHeading(report.ratioSpread)}`,
          ``,
          ...table(spreadTable(report.ratioSpread)),
          ``,
          SPREAD_LEGEND,
          ``,
        ]
      : []),
    ...(report.slopes.length > 0
      ? [
          `## ${GROWTH_HEADING}`,
          ``,
          ...slopeLines(report.slopes).map((l) => `- ${l}`),
          ``,
          ...table(projectionTable(report.projection, report.slopes[0]!.rate)),
          ``,
          PROJECTION_NOTE,
          ``,
        ]
      : []),
    report.failed
      ? `**FAILED: messages were lost or duplicated, or requests failed (see above).**`
      : `No message lost or duplicated.`,
    ``,
    ...(report.machineProbe
      ? [`## This machine (--machine)`, ``, ...machineProbeLines(report.machineProbe).map((l) => `- ${l}`), ``]
      : []),
  ].join("\n");
}
