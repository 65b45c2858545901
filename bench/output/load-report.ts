import { formatBytes } from "../../shared/format-bytes.ts";
import { round } from "../analysis/aggregate.ts";
import { formatTable } from "../output/print.ts";
import type { FullRoomResult } from "../scenarios/full-room.ts";
import type { LoadOptions, LoadResult } from "../scenarios/load.ts";

export function formatLoad(result: LoadResult, options: LoadOptions): string {
  const { summary } = result;
  const rows = [
    ["mode", "clients", "delivered", "lost", "dup", "p50 ms", "p99 ms", "max ms"],
    ...summary.groups.map((g) => [
      g.mode,
      String(g.clients),
      `${g.delivered}/${g.expected}`,
      String(g.lost),
      String(g.duplicated),
      String(round(g.latency.p50)),
      String(round(g.latency.p99)),
      String(round(g.latency.max)),
    ]),
  ];
  const missing = ["long polling", "SSE"].filter(
    (name) => !result.otherModes.some((m) => m.replace(/[^a-z]/g, "").includes(name === "SSE" ? "sse" : "longpoll")),
  );
  return [
    `Load: ${summary.clients} clients on one server (loopback), ${summary.publisher.posted} messages at ${options.rate}/s (steady) ` +
      `over ${options.duration} s, poll interval ${options.interval} ms`,
    "",
    formatTable(rows),
    "",
    `errors          ${result.errors}  (failed POSTs ${summary.publisher.errors}, failed client requests ${result.clientErrors}, reconnects ${result.reconnects})`,
    `messages lost   ${result.lost}  (duplicated ${result.duplicated})`,
    `server RSS      ${formatBytes(result.serverPeakRssBytes)} peak`,
    `server CPU      ${round(result.serverCpuPercent)} % of one core during publishing (${round(summary.publish.serverCpuMs / 1000)} s CPU in ${round(summary.publish.ms / 1000)} s)`,
    `client CPU      ${round(summary.clientCpuMs / 1000)} s (this process: every simulated client and the publisher)`,
    ...(missing.length > 0
      ? [`not run          ${missing.join(", ")}: no such mode in bench/clients/modes.ts yet`]
      : []),
    "",
    result.ok ? "OK: no errors, nothing lost." : "FAILED: errors or lost messages (see above).",
  ].join("\n");
}

/** The full room at its real caps (scenarios/full-room.ts): held, refused, and whether the newcomer and the teacher got in. */
export function formatFullRoom(result: FullRoomResult): string {
  return [
    `Full room (npm start's real caps): ${result.opened} idle connections from a few addresses, ${result.held} held, ` +
      `${result.opened - result.held} refused; then a newcomer from another address got ${result.newcomer} and the ` +
      `teacher's POST /class/new-chat got ${result.teacher} (${round(result.ms / 1000)} s)`,
    result.ok
      ? "OK: the room full, a newcomer and the teacher both served."
      : "FAILED: the room was not full, or the newcomer or the teacher was not served.",
  ].join("\n");
}
