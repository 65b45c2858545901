/**
 * `npm run bench:fsync [-- --posts 300 --rounds 3 --dir data/bench-fsync]`: what `--fsync always` costs. Two real
 * servers, one per mode, each with its own message log in `--dir` (on the disk you care about: a tmpfs makes fsync
 * free), take the same POSTs in alternating rounds, one POST at a time, so both see the same machine. Prints p50/p99
 * latency and posts/s per mode, their ratio, the load average and the file system. POSTs are not rate-limited here.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { Chat } from "../../server/chat/chat.ts";
import { MessageLog } from "../../server/chat/message-log.ts";
import { LOG_FSYNC_MODES, type LogFsync } from "../../server/config.ts";
import { startServer, type RunningServer } from "../../server/node/node-server.ts";
import { LatencyRecorder } from "../core/percentiles.ts";

export interface FsyncCostOptions {
  posts: number;
  rounds: number;
  dir: string;
}

export interface ModeCost {
  fsync: LogFsync;
  p50: number;
  p99: number;
  postsPerSecond: number;
}

export interface FsyncCost {
  modes: ModeCost[];
  /** always ÷ never, for p50 latency; never ÷ always, for posts/s: both "how many times slower". */
  latencyRatio: number;
  throughputRatio: number;
  load: number[];
  fileSystem: string;
}

export const FSYNC_COST_DEFAULTS: FsyncCostOptions = { posts: 300, rounds: 3, dir: "data/bench-fsync" };

export async function measureFsyncCost(options: FsyncCostOptions): Promise<FsyncCost> {
  mkdirSync(options.dir, { recursive: true });
  const root = mkdtempSync(resolve(options.dir, "run-"));
  const servers = new Map<LogFsync, RunningServer>();
  const latencies = new Map<LogFsync, LatencyRecorder>();
  const busy = new Map<LogFsync, number>();
  try {
    for (const fsync of LOG_FSYNC_MODES) {
      const log = MessageLog.open(resolve(root, fsync), { fsync });
      const unlimited = { perSecond: 1e9, burst: 1e9 };
      const server = await startServer({ port: 0, hostname: "127.0.0.1", chat: new Chat(log), postLimit: unlimited });
      servers.set(fsync, server);
      latencies.set(fsync, new LatencyRecorder());
      busy.set(fsync, 0);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const fsync of round % 2 ? [...LOG_FSYNC_MODES].reverse() : LOG_FSYNC_MODES) {
        const started = performance.now();
        for (let i = 0; i < options.posts; i++) {
          const sent = performance.now();
          const response = await fetch(`${servers.get(fsync)!.url}/messages`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ user: "bench", text: `round ${round} post ${i}: ${"x".repeat(100)}` }),
          });
          await response.arrayBuffer();
          if (response.status !== 201) throw new Error(`POST answered ${response.status} (fsync ${fsync})`);
          latencies.get(fsync)!.record(performance.now() - sent);
        }
        busy.set(fsync, busy.get(fsync)! + performance.now() - started);
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.close()));
    rmSync(root, { recursive: true, force: true });
  }
  const modes = LOG_FSYNC_MODES.map((fsync) => {
    const { p50, p99 } = latencies.get(fsync)!.summary();
    return { fsync, p50, p99, postsPerSecond: (options.posts * options.rounds) / (busy.get(fsync)! / 1000) };
  });
  const [always, never] = ["always", "never"].map((fsync) => modes.find((m) => m.fsync === fsync)!);
  return {
    modes,
    latencyRatio: always!.p50 / never!.p50,
    throughputRatio: never!.postsPerSecond / always!.postsPerSecond,
    load: loadavg(),
    fileSystem: describeFileSystem(options.dir),
  };
}

function describeFileSystem(dir: string): string {
  try {
    const lines = execFileSync("df", ["-T", dir], { encoding: "utf8" }).trim().split("\n");
    const [device, type] = lines.at(-1)!.split(/\s+/);
    return `${type} (${device})`;
  } catch {
    return "unknown (df -T failed)";
  }
}
