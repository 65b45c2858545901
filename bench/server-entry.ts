/**
 * The server under test, as its own process (forked by server-process.ts). It talks to the bench over IPC only,
 * so asking for figures never adds a byte to the TCP traffic being measured.
 */
import { performance } from "node:perf_hooks";
import { startServer } from "../server/node-server.ts";
import type { Message } from "../shared/protocol.ts";
import type { ServerReport, ToServer } from "./server-process.ts";

// The publisher is one address posting for a whole room, so the per-address POST limit is lifted for it;
// everything else is the server as `npm start` runs it.
const running = await startServer({ port: 0, hostname: "127.0.0.1", postLimit: { perSecond: 1e9, burst: 1e9 } });

// Time each broadcast (one message to every open socket): the "≤ 15 ms at 1000 sockets" is measured here,
// inside the server, where no network or client delay can blur it.
const broadcasts: { sockets: number; micros: number }[] = [];
const broadcast = running.hub.broadcast.bind(running.hub);
running.hub.broadcast = (message: Message) => {
  const sockets = running.hub.sockets.size;
  const start = performance.now();
  broadcast(message);
  broadcasts.push({ sockets, micros: Math.round((performance.now() - start) * 1000) });
};

const report = (): ServerReport => ({ ...running.stats.snapshot(), openSockets: running.hub.sockets.size, broadcasts: broadcasts.splice(0) });

process.on("message", async (command: ToServer) => {
  if (command.type === "snapshot") process.send!({ type: "snapshot", id: command.id, report: report() });
  if (command.type === "stop") {
    await running.close();
    // The last word: every socket closed, so its bytes (close frames included) are all counted.
    process.send!({ type: "stopped", report: report() }, () => process.disconnect());
  }
});
process.on("disconnect", () => process.exit(0));
process.send!({ type: "ready", url: running.url });
