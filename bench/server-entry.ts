/**
 * The server under test, as its own process (forked by server-process.ts). It talks to the bench over IPC only,
 * so asking for figures never adds a byte to the TCP traffic being measured.
 */
import { performance } from "node:perf_hooks";
import { createChat } from "../server/chat-factory.ts";
import { startServer } from "../server/node-server.ts";
import type { Message } from "../shared/protocol.ts";
import { epochNow } from "./publisher.ts";
import type { ServerReport, ToServer } from "./server-process.ts";

// The publisher is one address posting for a whole room, so the per-address POST limit is lifted for it;
// everything else is the server as `npm start` runs it.
// With REDIS_URL (bench --instances N) it is one of N instances sharing the chat through Redis (bench/cluster.ts).
const running = await startServer({
  port: 0,
  hostname: "127.0.0.1",
  postLimit: { perSecond: 1e9, burst: 1e9 },
  chat: await createChat({ redisUrl: process.env.REDIS_URL, namespace: process.env.BENCH_NAMESPACE }),
});

// The broker's own latency: publish on the instance that stored a message → the transports here being handed it.
const broker: Required<ServerReport>["broker"] = { published: [], received: [] };
const publishOnBroker = running.chat.broker.publish.bind(running.chat.broker);
running.chat.broker.publish = (message: Message) => {
  broker.published.push([message.id, epochNow()]);
  return publishOnBroker(message);
};

// Time each broadcast (one message to every open socket): the "≤ 15 ms at 1000 sockets" is measured here,
// inside the server, where no network or client delay can blur it.
// Wall time is what a client waits; CPU time is what the broadcast costs even when other processes share the cores.
const broadcasts: { sockets: number; micros: number; cpuMicros: number }[] = [];
const broadcast = running.hub.broadcast.bind(running.hub);
running.hub.broadcast = (message: Message) => {
  broker.received.push([message.id, epochNow()]);
  const sockets = running.hub.sockets.size;
  const cpu = process.cpuUsage();
  const start = performance.now();
  broadcast(message);
  const micros = Math.round((performance.now() - start) * 1000);
  const used = process.cpuUsage(cpu);
  broadcasts.push({ sockets, micros, cpuMicros: used.user + used.system });
};

const report = (): ServerReport => ({ ...running.stats.snapshot(), openSockets: running.hub.sockets.size, broadcasts: broadcasts.splice(0),
  broker: { published: broker.published.splice(0), received: broker.received.splice(0) },
});

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
