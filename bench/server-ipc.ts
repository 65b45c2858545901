/**
 * The child side of server-process.ts: what every server entry (server-entry.ts, floor-server-entry.ts) does the
 * same way, so the bench reads both through one contract and times their broadcasts alike.
 */
import { performance } from "node:perf_hooks";
import type { FromServer, ServerReport, ToServer } from "./server-process.ts";

export type BroadcastTiming = ServerReport["broadcasts"][number];

/**
 * Times one broadcast (one message to every open socket) inside the server, where no network or client delay can
 * blur it. Wall time is what a client waits; CPU time is what the broadcast costs even when other processes share
 * the cores.
 */
export function timeBroadcast(sockets: number, broadcast: () => void): BroadcastTiming {
  const cpu = process.cpuUsage();
  const start = performance.now();
  broadcast();
  return broadcastTiming(sockets, Math.round((performance.now() - start) * 1000), cpu);
}

/** One broadcast's figures, from its wall time and the CPU clock read when it started. */
export function broadcastTiming(sockets: number, micros: number, cpuAtStart: NodeJS.CpuUsage): BroadcastTiming {
  const used = process.cpuUsage(cpuAtStart);
  return { sockets, micros, cpuMicros: used.user + used.system };
}

/**
 * Announces `url` to the bench, answers its snapshot requests with `report()`, and on `stop` closes the server and
 * sends the last report. IPC only, so asking for figures never adds a byte to the TCP traffic being measured.
 */
export function serveBench(url: string, report: () => ServerReport, close: () => Promise<void>): void {
  process.on("message", async (command: ToServer) => {
    if (command.type === "snapshot") process.send!({ type: "snapshot", id: command.id, report: report() } satisfies FromServer);
    if (command.type === "stop") {
      await close();
      // The last word: every socket closed, so its bytes (close frames included) are all counted.
      process.send!({ type: "stopped", report: report() } satisfies FromServer, () => process.disconnect());
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send!({ type: "ready", url } satisfies FromServer);
}
