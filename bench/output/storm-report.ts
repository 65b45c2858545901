/**
 * What `npm run bench -- --storm` prints and draws (bench/scenarios/storm.ts measures): attempts per 100 ms as a text
 * sparkline and as an SVG chart, then recovery, errors and delivery.
 */
import { cpus } from "node:os";
import { formatBytes } from "../../shared/format-bytes.ts";
import { lineChart } from "./svg.ts";
import {
  STORM_MAX_WINDOW_SHARE,
  STORM_SETTLED_AFTER_MS,
  STORM_SETTLED_ATTEMPT,
  type StormResult,
} from "../scenarios/storm.ts";

const WINDOW_MS = 100;

/** How many of `times` (ms) fall in each WINDOW_MS window from 0 up to `until`. */
export function perWindow(times: number[], until: number): number[] {
  const counts = new Array<number>(Math.max(1, Math.ceil(until / WINDOW_MS))).fill(0);
  for (const t of times) if (t >= 0 && t < until) counts[Math.floor(t / WINDOW_MS)]!++;
  return counts;
}

/** The busiest window: its count and where it starts (ms). */
export function peakWindow(counts: number[]): { count: number; atMs: number } {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return { count: counts[best] ?? 0, atMs: best * WINDOW_MS };
}

const BARS = " ▁▂▃▄▅▆▇█";

/** One character a window, its height relative to `max` (a non-zero count never draws blank). */
export function sparkline(counts: number[], max = Math.max(1, ...counts)): string {
  return counts.map((n) => (n === 0 ? BARS[0] : BARS[Math.max(1, Math.round((n / max) * (BARS.length - 1)))])).join("");
}

/** The value below which `share` of the sorted values lie. */
const quantile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** Everything the chart and the text need, from one result. */
export function stormFigures(result: StormResult) {
  const all = [...result.attempts.socket, ...result.attempts.sse];
  const until = Math.max(result.backMs, ...all, ...result.planned.settled) + WINDOW_MS;
  const windows = perWindow(all, until);
  const socketWindows = perWindow(result.attempts.socket, until);
  const afterBack = windows.slice(Math.ceil(result.backMs / WINDOW_MS));
  const share = (count: number) => (result.options.sockets > 0 ? count / result.options.sockets : 0);
  return {
    until,
    windows,
    socketWindows,
    sseWindows: perWindow(result.attempts.sse, until),
    peak: peakWindow(windows),
    /** While the server was listening again: what it felt. */
    peakAfterBack: peakWindow(afterBack),
    /** The busiest window's share of the sockets. */
    socketShare: share(peakWindow(socketWindows).count),
    /** The same once settled, STORM_SETTLED_AFTER_MS after the last drop (the check: STORM_MAX_WINDOW_SHARE). */
    settledShare: share(
      peakWindow(socketWindows.slice(Math.ceil((result.lastDropMs + STORM_SETTLED_AFTER_MS) / WINDOW_MS))).count,
    ),
    /** The same for the settled retries by when each was due (storm.ts: what load cannot bunch; the suite's check). */
    plannedSettledShare: share(peakWindow(perWindow(result.planned.settled, until)).count),
    recovery: {
      p50: quantile(result.recoveries, 0.5),
      p90: quantile(result.recoveries, 0.9),
      max: result.recoveries.at(-1) ?? NaN,
    },
  };
}

export function formatStorm(result: StormResult): string {
  const f = stormFigures(result);
  const o = result.options;
  const attempts = result.attempts.socket.length + result.attempts.sse.length;
  const rows: string[] = [];
  // 100 windows (10 s) a row, the server's return marked under its window.
  for (let from = 0; from < f.windows.length; from += 100) {
    const row = f.windows.slice(from, from + 100);
    rows.push(`  ${String(from / 10).padStart(3)} s │${sparkline(row, f.peak.count).padEnd(100)}│`);
    const back = Math.floor(result.backMs / WINDOW_MS) - from;
    if (back >= 0 && back < 100) rows.push(`        ${" ".repeat(back)}↑ server back at ${s(result.backMs)}`);
  }
  const rss = (report: { maxRssBytes: number } | undefined) => (report ? formatBytes(report.maxRssBytes) : "–");
  const { listen, before, after } = result.server;
  const { errors: e, posts, attempts: a } = result;
  const back = s(result.backMs);
  return [
    `Reconnect storm: ${o.sockets} sockets + ${o.streams} SSE streams on one server (loopback), ${o.rate} messages/s;`,
    `SIGKILL at 0 s, restart at ${s(result.restartMs)} (same port, same data directory), listening at ${back}`,
    "",
    `Connection attempts per ${WINDOW_MS} ms after the kill (█ = ${f.peak.count}):`,
    ...rows,
    "",
    `attempts         ${attempts} (${a.socket.length} socket, ${a.sse.length} SSE); ` +
      `${result.refusedWhileDown} refused while the server was down`,
    `peak             ${f.peak.count} in one ${WINDOW_MS} ms window at ${s(f.peak.atMs)} ` +
      `(${Math.round((f.peak.count / WINDOW_MS) * 1000)}/s); ` +
      `busiest socket window ${percent(f.socketShare)} of the sockets`,
    `spread           the last socket saw the drop at ${s(result.lastDropMs)}; ` +
      `from ${s(STORM_SETTLED_AFTER_MS)} later the busiest window held ${percent(f.settledShare)} of the sockets ` +
      `(retries ${STORM_SETTLED_ATTEMPT}+ as their waits were drawn: ${percent(f.plannedSettledShare)}; full jitter: ≤ ${percent(STORM_MAX_WINDOW_SHARE)})`,
    `peak, server up  ${f.peakAfterBack.count} in one ${WINDOW_MS} ms window ` +
      `at ${s(result.backMs + f.peakAfterBack.atMs)}`,
    `recovery         ${result.recoveries.length}/${result.clients} clients open again, ` +
      `the last ${s(f.recovery.max)} ` +
      `after the server was back (p50 ${s(f.recovery.p50)}, p90 ${s(f.recovery.p90)})`,
    `errors           ${e.failedAfterBack} failed attempts after the server was back, ` +
      `${e.streamsGaveUp} streams gave up, ${e.postsFailedWhileUp} POSTs failed while it was up, ` +
      `${e.notBack} clients not back`,
    `messages         ${posts.acknowledged} of ${posts.sent} POSTs acknowledged ` +
      `(${posts.acknowledgedAfterBack} after ` +
      `the restart); lost ${result.lost}, duplicated ${result.duplicated}`,
    `server           peak RSS ${rss(before)} before the kill, ${rss(after)} after the storm (new process); ` +
      `sockets open ${before.openSockets} before, ${after?.openSockets ?? "–"} after`,
    `listen queue     ${listen ? `${listen.overflows} overflows, ${listen.drops} drops` : "–"} ` +
      "(whole machine, /proc/net/netstat)",
    `load average     ${result.loadAverage.toFixed(1)} on ${cpus().length} cores; the clients' event loop was late by ` +
      `up to ${Math.round(result.clientLoopDelay.max)} ms (p99 ${Math.round(result.clientLoopDelay.p99)} ms)`,
    "",
    result.ok
      ? "OK: every client back, every acknowledged message once at every client, no errors."
      : "FAILED: see errors, lost and duplicated above.",
  ].join("\n");
}

/** Attempts per 100 ms as an SVG line chart, sockets and streams apart, with the server's return as a vertical line. */
export function stormChart(result: StormResult, title = "Reconnect storm: connection attempts per 100 ms"): string {
  const f = stormFigures(result);
  const points = (counts: number[]) => counts.map((n, i): [number, number] => [(i * WINDOW_MS) / 1000, n]);
  const top = Math.max(1, ...f.socketWindows, ...f.sseWindows);
  return lineChart({
    title,
    xLabel: "seconds after the kill",
    yLabel: `attempts per ${WINDOW_MS} ms`,
    step: true,
    series: [
      { name: `sockets (${result.options.sockets})`, points: points(f.socketWindows) },
      { name: `SSE streams (${result.options.streams})`, points: points(f.sseWindows) },
      {
        name: "server back",
        points: [
          [result.backMs / 1000, 0],
          [result.backMs / 1000, top],
        ],
      },
    ],
  });
}
