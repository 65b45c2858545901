/**
 * The server under test, as its own process (forked by server-process.ts). It talks to the bench over IPC only
 * (server-ipc.ts), so asking for figures never adds a byte to the TCP traffic being measured.
 */
import { createChat } from "../server/chat/chat-factory.ts";
import { startServer } from "../server/node/node-server.ts";
import { epochNow } from "./publisher.ts";
import { broadcastTiming, serveBench, type BroadcastTiming } from "./server-ipc.ts";
import type { ServerReport } from "./server-process.ts";

// The publisher is one address posting for a whole room, so the per-address POST limit is lifted for it;
// everything else is the server as `npm start` runs it.
// With REDIS_URL (bench --instances N) it is one of N instances sharing the chat through Redis (bench/cluster.ts).
// With BENCH_PORT and BENCH_DATA_DIR (bench --storm) a restarted server answers at the same address, ids continuing.
const running = await startServer({
  port: Number(process.env.BENCH_PORT ?? 0),
  hostname: "127.0.0.1",
  postLimit: { perSecond: 1e9, burst: 1e9 },
  chat: await createChat({
    redisUrl: process.env.REDIS_URL,
    dataDir: process.env.BENCH_DATA_DIR,
    namespace: process.env.BENCH_NAMESPACE,
  }),
});

// What the chat and the hub report (server/chat/chat.ts, server/transports/socket.ts), with the times the bench needs:
// the broker's own latency (stored on one instance → handed to the transports on this one) and each broadcast.
const broker: Required<ServerReport>["broker"] = { published: [], received: [] };
running.chat.events.on("stored", (message) => broker.published.push([message.id, epochNow()]));
running.chat.events.on("delivered", (message) => broker.received.push([message.id, epochNow()]));
// Each broadcast timed inside the server: wall time by the hub, CPU time read here around it (server-ipc.ts).
const broadcasts: BroadcastTiming[] = [];
let cpuAtStart = process.cpuUsage();
running.hub.events.on("broadcasting", () => (cpuAtStart = process.cpuUsage()));
running.hub.events.on("broadcast", ({ sockets, micros }) => {
  broadcasts.push(broadcastTiming(sockets, micros, cpuAtStart));
});

const report = (): ServerReport => ({ ...running.stats.snapshot(), openSockets: running.hub.sockets.size, broadcasts: broadcasts.splice(0),
  broker: { published: broker.published.splice(0), received: broker.received.splice(0) },
});

serveBench(running.url, report, () => running.close());
