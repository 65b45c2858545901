import { machineProbeLines, notes, tableRows } from "./print.ts";
import {
  bytesChart,
  fitCharts,
  idleBytesChart,
  idleCpuChart,
  latencyCdfChart,
  requestsChart,
  sweepBytesChart,
  sweepIdleCpuChart,
  sweepLatencyChart,
} from "./charts.ts";
import { GROWTH_HEADING, PROJECTION_NOTE, projectionTable } from "../analysis/projection.ts";
import { slopeLines } from "../analysis/slopes.ts";
import { missLines, RATIO_HEADING, RATIO_LEGEND, ratioTable } from "../analysis/ratios.ts";
import type { BenchReport } from "./json.ts";
import { escapeXml } from "./svg.ts";

/** One self-contained HTML file: inline CSS and inline SVG charts, nothing fetched, works offline. */
export function toHtml(report: BenchReport): string {
  const htmlTable = (rows: string[][]) =>
    `<table><thead><tr>${rows[0]!.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr></thead><tbody>${rows
      .slice(1)
      .map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join("")}</tr>`)
      .join("")}</tbody></table>`;
  const table = htmlTable(tableRows(report.summaries));
  const misses = missLines(report.ratios).map((l) => `<li class="bad">${escapeXml(l)}</li>`);
  const growth = report.slopes.length
    ? `<h2>${escapeXml(GROWTH_HEADING)}</h2>\n<ul class="notes">${slopeLines(report.slopes)
        .map((l) => `<li>${escapeXml(l)}</li>`)
        .join(
          "",
        )}</ul>\n${htmlTable(projectionTable(report.projection, report.slopes[0]!.rate))}\n<p>${escapeXml(PROJECTION_NOTE)}</p>\n`
    : "";
  const ratios = report.ratios.length
    ? `<h2>${escapeXml(RATIO_HEADING)}</h2>\n${htmlTable(ratioTable(report.ratios))}\n<p>${escapeXml(RATIO_LEGEND)}</p>\n<ul class="notes">${misses.join("")}</ul>\n`
    : "";
  const charts = report.sweep
    ? [
        ...fitCharts(report.slopes),
        sweepBytesChart(report.summaries),
        sweepIdleCpuChart(report.summaries),
        sweepLatencyChart(report.summaries),
        latencyCdfChart(report.summaries.filter((s) => s.clients === 100)),
      ]
    : [
        latencyCdfChart(report.summaries),
        idleBytesChart(report.summaries),
        idleCpuChart(report.summaries),
        requestsChart(report.summaries),
        bytesChart(report.summaries),
      ];
  const m = report.machine;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Benchmark: polling vs WebSocket</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; margin: 1em 0; }
.notes li { font-size: 13px; margin: 2px 0; }
.bad { color: #b00; font-weight: bold; }
</style></head><body>
<h1>Benchmark: polling vs WebSocket</h1>
<p>${escapeXml(report.date)} · ${m.cpus} × ${escapeXml(m.cpuModel)} · ${escapeXml(m.node)} · ${escapeXml(m.platform)} · ${escapeXml(m.network)}</p>
<p>Options: <code>${escapeXml(JSON.stringify(report.options))}</code></p>
<p class="${report.failed ? "bad" : ""}">${report.failed ? "FAILED: messages were lost or duplicated, or requests failed." : "No message lost or duplicated."}</p>
<div class="charts">${charts.join("\n")}</div>
${table}
<ul class="notes">${notes(report.summaries)
    .map((n) => `<li${n.startsWith("  !") ? ' class="bad"' : ""}>${escapeXml(n)}</li>`)
    .join("")}</ul>
${ratios}${growth}${
  report.machineProbe
    ? `<h2>This machine (--machine)</h2>\n<ul class="notes">${machineProbeLines(report.machineProbe)
        .map((l) => `<li>${escapeXml(l)}</li>`)
        .join("")}</ul>\n`
    : ""
}<p>Latency: from just before the POST is written to the moment the client code hands the message on, same clock.
Bytes: counted at the server's TCP sockets (HTTP headers, WebSocket handshake and frame headers included), the publisher's own traffic taken out.
Model: polling latency ≈ T/2 + RTT, requests ≈ clients × window / T, idle bytes ≈ requests × (request + empty response), sizes and RTT measured on the fresh server.</p>
</body></html>
`;
}
