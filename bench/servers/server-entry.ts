/**
 * The server under test, as its own process (forked by server-process.ts). It talks to the bench over IPC only
 * (server-ipc.ts), so asking for figures never adds a byte to the TCP traffic being measured.
 */
import { createChat } from "../../server/chat-factory.ts";
import { defaultConnectionLimits, descriptorRoom } from "../../server/node/connection-guard.ts";
import { startServer } from "../../server/node/node-server.ts";
import { benchCertificate } from "../clients/tls-client.ts";
import { recordAppEvents, serveBench } from "./server-ipc.ts";
import type { ServerReport } from "../core/records.ts";

// The publisher is one address posting for a whole room, so the per-address POST limit is lifted for it; and the
// connection caps are lifted to fit the run (BENCH_CONNECTIONS: its clients and the bench's own connections, as far
// as the `nofile` limit allows), since the bench measures the connections it opens, not our caps.
// BENCH_CONNECTION_LIMITS (JSON) stands for `npm start`'s caps, scaled down in tests; BENCH_KEEP_CAPS keeps them.
// Everything else is the server as `npm start` runs it.
// With REDIS_URL (bench --instances N) it is one of N instances sharing the chat through Redis (bench/servers/cluster.ts).
// With BENCH_PORT and BENCH_DATA_DIR (bench --storm) a restarted server answers at the same address, ids continuing.
const caps = process.env.BENCH_CONNECTION_LIMITS
  ? JSON.parse(process.env.BENCH_CONNECTION_LIMITS)
  : defaultConnectionLimits();
const needed = Math.min(Number(process.env.BENCH_CONNECTIONS ?? 0), descriptorRoom());
const running = await startServer({
  port: Number(process.env.BENCH_PORT ?? 0),
  hostname: "127.0.0.1",
  postLimit: { perSecond: 1e9, burst: 1e9 },
  connectionLimits: process.env.BENCH_KEEP_CAPS
    ? caps
    : { ...caps, total: Math.max(caps.total, needed), perAddress: Math.max(caps.perAddress, needed) },
  chat: await createChat({
    redisUrl: process.env.REDIS_URL,
    dataDir: process.env.BENCH_DATA_DIR,
    namespace: process.env.BENCH_NAMESPACE,
  }),
  // bench --http2: the same app over TLS too, as `npm start -- --https` serves it.
  https: process.env.BENCH_TLS ? { port: 0, credentials: await benchCertificate() } : undefined,
});

const events = recordAppEvents(running);
const report = (): ServerReport => ({
  ...running.stats.snapshot(),
  openSockets: running.hub.sockets.size,
  protocols: running.secure && { ...running.secure.protocols },
  ...events(),
});

const secure = running.secure && { url: running.secure.url, cert: running.secure.credentials.cert };
serveBench(running.url, report, () => running.close(), secure);
