/**
 * The child side of server-process.ts: what every server entry (server-entry.ts, floor-server-entry.ts) does the
 * same way, so the bench reads both through one contract and times their broadcasts alike.
 */
import { performance } from "node:perf_hooks";
import type { ChatApp } from "../../server/app.ts";
import { epochNow } from "../clients/publisher.ts";
import type { FromServer, SentReport, ToServer } from "../processes/channel.ts";
import type { SecurePort, ServerReport } from "../core/records.ts";

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
function broadcastTiming(sockets: number, micros: number, cpuAtStart: NodeJS.CpuUsage): BroadcastTiming {
  const used = process.cpuUsage(cpuAtStart);
  return { sockets, micros, cpuMicros: used.user + used.system };
}

/**
 * What our app's chat and hub report (server/chat/chat.ts, server/transports/socket-hub.ts), with the times the bench
 * needs: the broker's own latency (stored on one instance → handed to the transports on this one) and each broadcast,
 * its wall time by the hub, its CPU time read here around it. The function returned hands over what came since its
 * last call.
 */
export function recordAppEvents({
  chat,
  hub,
}: Pick<ChatApp, "chat" | "hub">): () => Required<Pick<ServerReport, "broker" | "broadcasts">> {
  const published: [number, number][] = [];
  const received: [number, number][] = [];
  const broadcasts: BroadcastTiming[] = [];
  chat.events.on("stored", (message) => published.push([message.id, epochNow()]));
  chat.events.on("delivered", (message) => received.push([message.id, epochNow()]));
  let cpuAtStart = process.cpuUsage();
  hub.events.on("broadcasting", () => (cpuAtStart = process.cpuUsage()));
  hub.events.on("broadcast", ({ sockets, micros }) => broadcasts.push(broadcastTiming(sockets, micros, cpuAtStart)));
  return () => ({
    broadcasts: broadcasts.splice(0),
    broker: { published: published.splice(0), received: received.splice(0) },
  });
}

/** How a server process hears the bench and answers it. */
export interface BenchChannel {
  onCommand(listener: (command: ToServer) => void): void;
  send(message: FromServer, sent?: () => void): void;
  /** After the last word: let go of the bench (the process then ends). */
  end(): void;
}

/** Node's IPC channel (a process forked by server-process.ts): the bench gone, the process ends. */
function ipcChannel(): BenchChannel {
  process.on("disconnect", () => process.exit(0));
  return {
    onCommand: (listener) => process.on("message", listener),
    send: (message, sent) => process.send!(message, undefined, undefined, () => sent?.()),
    end: () => process.disconnect(),
  };
}

/**
 * Announces `url` to the bench, answers its snapshot requests with `report()`, and on `stop` closes the server and
 * sends the last report. Off the measured port (IPC, or a Deno process's stdin/stdout), so asking for figures never
 * adds a byte to the TCP traffic being measured.
 */
export function serveBench(
  url: string,
  report: () => SentReport,
  close: () => Promise<void>,
  secure?: SecurePort,
  channel: BenchChannel = ipcChannel(),
): void {
  channel.onCommand(async (command) => {
    if (command.type === "snapshot") channel.send({ type: "snapshot", id: command.id, report: report() });
    if (command.type === "stop") {
      await close();
      // The last word: every socket closed, so its bytes (close frames included) are all counted.
      channel.send({ type: "stopped", report: report() }, () => channel.end());
    }
  });
  channel.send({ type: "ready", url, secure });
}
