/**
 * The server under test, as its own process (forked by server-process.ts). It talks to the bench over IPC only
 * (server-ipc.ts), so asking for figures never adds a byte to the TCP traffic being measured.
 */
import { createChat } from "../server/chat/chat-factory.ts";
import { startServer } from "../server/node/node-server.ts";
import { benchCertificate } from "./tls-client.ts";
import type { Message } from "../shared/protocol.ts";
import { epochNow } from "./publisher.ts";
import { serveBench, timeBroadcast, type BroadcastTiming } from "./server-ipc.ts";
import type { ServerReport } from "./server-process.ts";

// The publisher is one address posting for a whole room, so the per-address POST limit is lifted for it;
// everything else is the server as `npm start` runs it.
// With REDIS_URL (bench --instances N) it is one of N instances sharing the chat through Redis (bench/cluster.ts).
const running = await startServer({
  port: 0,
  hostname: "127.0.0.1",
  postLimit: { perSecond: 1e9, burst: 1e9 },
  chat: await createChat({ redisUrl: process.env.REDIS_URL, namespace: process.env.BENCH_NAMESPACE }),
  // bench --http2: the same app over TLS too, as `npm start -- --https` serves it.
  https: process.env.BENCH_TLS ? { port: 0, credentials: await benchCertificate() } : undefined,
});

// The broker's own latency: publish on the instance that stored a message → the transports here being handed it.
const broker: Required<ServerReport>["broker"] = { published: [], received: [] };
const publishOnBroker = running.chat.broker.publish.bind(running.chat.broker);
running.chat.broker.publish = (message: Message) => {
  broker.published.push([message.id, epochNow()]);
  return publishOnBroker(message);
};

// Each broadcast timed: the "≤ 15 ms at 1000 sockets" is measured inside the server (server-ipc.ts).
const broadcasts: BroadcastTiming[] = [];
const broadcast = running.hub.broadcast.bind(running.hub);
running.hub.broadcast = (message: Message) => {
  broker.received.push([message.id, epochNow()]);
  broadcasts.push(timeBroadcast(running.hub.sockets.size, () => broadcast(message)));
};

const report = (): ServerReport => ({ ...running.stats.snapshot(), openSockets: running.hub.sockets.size, broadcasts: broadcasts.splice(0),
  protocols: running.secure && { ...running.secure.protocols },
  broker: { published: broker.published.splice(0), received: broker.received.splice(0) },
});

const secure = running.secure && { url: running.secure.url, cert: running.secure.credentials.cert };
serveBench(running.url, report, () => running.close(), secure);
