/**
 * The Deno rival (`npm run bench -- --rivals`), run by the deno binary (deno-process.ts): our same app under Deno,
 * served as `npm run start:deno` serves it (server/deno/deno-server.ts), with the one change the Node entry
 * (bench/servers/server-entry.ts) makes: the POST limit lifted for the publisher, one address posting for a whole room.
 *
 * It speaks the bench's contract (server-ipc.ts) as JSON lines on stdin and stdout. Its report is the app's own counts
 * (requests, empty answers, upgrades), the hub's timed broadcasts, and this process's CPU and memory as Deno's
 * node:process gives them (getrusage of the whole process, every thread, as on Node). Deno.serve shows no TCP
 * socket, so it sends no byte counts: the bench prints "–" for them (server-process.ts: UNCOUNTED_BYTES).
 */
import { createInterface } from "node:readline";
import { createChat } from "../../server/chat-factory.ts";
import { startDenoServer } from "../../server/deno/deno-server.ts";
import { recordAppEvents, serveBench, type BenchChannel } from "./server-ipc.ts";
import type { SentReport } from "../processes/channel.ts";

const running = await startDenoServer({
  chat: await createChat(),
  port: 0,
  hostname: "127.0.0.1",
  postLimit: { perSecond: 1e9, burst: 1e9 },
});
const events = recordAppEvents(running);

function report(): SentReport {
  const cpu = process.cpuUsage();
  return {
    ...running.stats.snapshot(),
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
    rssBytes: process.memoryUsage.rss(),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    openSockets: running.hub.sockets.size,
    ...events(),
  };
}

// The bench's commands, a line each on stdin; stdin ends when the bench is gone, and so does this process.
const commands = createInterface({ input: process.stdin }).on("close", () => process.exit(0));
const lines: BenchChannel = {
  onCommand: (listener) => commands.on("line", (line) => listener(JSON.parse(line))),
  send: (message, sent) => process.stdout.write(`${JSON.stringify(message)}\n`, () => sent?.()),
  end: () => process.exit(0),
};

serveBench(running.url, report, () => running.close(), undefined, lines);
