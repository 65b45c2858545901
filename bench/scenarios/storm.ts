/**
 * The reconnect storm (`npm run bench -- --storm`): N sockets and M SSE streams on a real server process while a
 * publisher keeps posting; the server is killed (SIGKILL: no goodbye to anyone) and started again after a set delay
 * on the same port with the same data directory, so ids continue. Every client reconnects at once: this measures
 * when they try (attempts per 100 ms), how long until all are back, and whether each has every acknowledged
 * message exactly once. Messages posted while the server was down were never acknowledged, so they cannot be lost.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { connect } from "../../clients/transports/socket.ts";
import { listen } from "../../clients/transports/sse.ts";
import { backoffDelay, FIRST_RECONNECT_DELAY_MS, MAX_RECONNECT_DELAY_MS } from "../../clients/transports/backoff.ts";
import type { Message } from "../../shared/protocol.ts";
import { delivery } from "../analysis/aggregate.ts";
import { NodeWebSocketClass, nodeEventSource } from "../clients/modes.ts";
import { epochNow, parseText, publish } from "../clients/publisher.ts";
import { ServerProcess } from "../servers/server-process.ts";
import type { Receipt, ServerReport } from "../core/records.ts";

export interface StormOptions {
  sockets: number;
  /** SSE streams. */
  streams: number;
  /** Messages per second, posted from before the kill until after the server is back. */
  rate: number;
  /** From the kill to the restart, ms (the new process then needs its own start-up time). */
  downMs: number;
  /** Publishing to every connected client before the kill, ms. */
  beforeMs?: number;
  /** Publishing after the server is back, ms. */
  afterMs?: number;
  onPhase?: (phase: string) => void;
}

export const STORM_DEFAULTS = { sockets: 1000, streams: 200, rate: 10, downMs: 3000, beforeMs: 1000, afterMs: 3000 };

/** From its fourth retry (number 3: the first three waited 250, 500, 1000 ms at most), a client waits up to 2 s. */
export const STORM_SETTLED_ATTEMPT = 3;

/** The first three ceilings (250 + 500 + 1000 ms): this long after its socket dropped, every client waits ≥ 2 s. */
export const STORM_SETTLED_AFTER_MS = FIRST_RECONNECT_DELAY_MS * (2 ** STORM_SETTLED_ATTEMPT - 1);

/**
 * Full jitter's bound on the share of the sockets that try within one 100 ms window, once settled (retries from
 * STORM_SETTLED_ATTEMPT on by when they were due; the attempts made, from STORM_SETTLED_AFTER_MS after the last socket
 * dropped, which a busy machine's late timers can push over it). Retry n waits a random time in [0, 250 · 2^n) ms after
 * retry n − 1, so its moment has density at most 1 / (250 · 2^n) per ms. Settled, every client is at n ≥ 3:
 * a window holds at most 100 / 2000 = 5 % of the clients' next retries, and even if every later wave overlapped,
 * 5 + 2.5 + 1.25 + … = 10 %. 15 % leaves room for sampling noise with 500 clients (3σ ≈ 4 points). Without jitter
 * each wave is every client whose socket dropped in the same 100 ms: up to 100 %.
 */
export const STORM_MAX_WINDOW_SHARE = 0.15;

/** Every client is back at most one wait after the server is: a wait is never longer than MAX_RECONNECT_DELAY_MS. */
export const STORM_RECOVERY_BOUND_MS = MAX_RECONNECT_DELAY_MS;

export interface StormResult {
  options: Required<Omit<StormOptions, "onPhase">>;
  /** Times are ms after the kill. */
  restartMs: number;
  /** The new process listens and said so. */
  backMs: number;
  /** The last socket that the kill dropped noticed it (one event loop takes a while to read 1000 closes). */
  lastDropMs: number;
  /** When each connection attempt was made, socket by socket and stream by stream (all clients together). */
  attempts: { socket: number[]; sse: number[] };
  /**
   * The settled retries (number STORM_SETTLED_ATTEMPT and later) by when each was due: the moment its socket's drop or
   * failed attempt was read, plus the wait its backoff drew. And the longest wait drawn. A busy machine reads failures
   * late and fires timers late, which bunches the attempts above and delays each client's climb through the waits; it
   * cannot bunch the draws. So the suite checks the spread on these (timing claims belong to the bench).
   */
  planned: { settled: number[]; longestWaitMs: number };
  /** After the server was back: how long each client took to open again, sorted; clients never back are left out. */
  recoveries: number[];
  clients: number;
  errors: {
    /** Attempts that failed after the server was back (refusals while it was down are expected and not counted). */
    failedAfterBack: number;
    /** Streams whose EventSource gave up for good (an error status such as 503). */
    streamsGaveUp: number;
    /** POSTs that failed while the server was up (postsFailedAtMs says when each was sent). */
    postsFailedWhileUp: number;
    notBack: number;
  };
  /** Refused while down: expected, not errors. */
  refusedWhileDown: number;
  posts: { sent: number; acknowledged: number; acknowledgedAfterBack: number; failedAtMs: number[] };
  lost: number;
  duplicated: number;
  server: {
    before: ServerReport;
    after: ServerReport | undefined;
    listen: { overflows: number; drops: number } | undefined;
  };
  loadAverage: number;
  /** This process's event loop delay during the storm, ms: when it is long, attempts fire late and bunch up. */
  clientLoopDelay: { p99: number; max: number };
  ok: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The kernel's count of connections dropped because a listen queue was full (machine-wide: /proc/net/netstat). */
function listenQueueDrops(): { overflows: number; drops: number } | undefined {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8")
      .split("\n")
      .filter((line) => line.startsWith("TcpExt:"));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/).map(Number);
    return { overflows: values[names.indexOf("ListenOverflows")]!, drops: values[names.indexOf("ListenDrops")]! };
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) return false;
    await sleep(20);
  }
  return true;
}

export async function runStorm(input: StormOptions): Promise<StormResult> {
  const options = { ...STORM_DEFAULTS, ...input };
  const phase = input.onPhase ?? (() => {});
  const nonce = `storm-${randomBytes(4).toString("hex")}`;
  const dataDir = mkdtempSync(join(tmpdir(), "bench-storm-"));
  const clients = options.sockets + options.streams;
  const attempts = { socket: [] as number[], sse: [] as number[] };
  const planned: number[] = [];
  let longestWaitMs = 0;
  const retryDelay = (attempt: number) => {
    const wait = backoffDelay(attempt);
    if (attempt >= STORM_SETTLED_ATTEMPT) planned.push(epochNow() + wait);
    longestWaitMs = Math.max(longestWaitMs, wait);
    return wait;
  };
  /** When each failed attempt was made (not when its failure was read: a busy event loop reads it late). */
  const failedAt: number[] = [];
  const droppedAt: number[] = [];
  const openedAt = new Array<number>(clients).fill(0);
  const receipts: Receipt[][] = Array.from({ length: clients }, () => []);
  const seen = Array.from({ length: clients }, () => new Set<number>());
  const stops: (() => void)[] = [];
  let streamsGaveUp = 0;

  phase("server");
  let server = await ServerProcess.start({ env: { BENCH_DATA_DIR: dataDir } });
  let running: ServerProcess | undefined = server;
  const port = new URL(server.url).port;
  try {
    // The project's own client modules, with an attempt counter around the WebSocket and fetch they are given.
    const CountedWebSocket = class extends NodeWebSocketClass {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        const at = epochNow();
        attempts.socket.push(at);
        let opened = false;
        this.addEventListener("open", () => (opened = true));
        this.addEventListener("close", () => opened && droppedAt.push(epochNow()));
        this.addEventListener("error", () => failedAt.push(at));
      }
    } as typeof WebSocket;
    const countedFetch: typeof fetch = async (url, init) => {
      const at = epochNow();
      attempts.sse.push(at);
      try {
        const response = await fetch(url, init);
        if (!response.ok) failedAt.push(at);
        return response;
      } catch (error) {
        failedAt.push(at);
        throw error;
      }
    };
    const receive = (i: number) => (message: Message) => {
      const seq = parseText(nonce, message.text);
      if (seq === undefined) return;
      receipts[i]!.push({ seq, at: epochNow() });
      seen[i]!.add(seq);
    };

    phase("connect");
    const spreadMs = Math.min(1000, clients); // ~1 per ms at first, so the listen queue is not what this measures
    for (let i = 0; i < clients; i++) {
      setTimeout(
        () => {
          if (i < options.sockets) {
            const onStatus = (s: string) => s === "open" && (openedAt[i] = epochNow());
            const socket = connect({
              baseUrl: server.wsUrl,
              WebSocket: CountedWebSocket,
              onMessage: receive(i),
              onStatus,
              retryDelay,
            });
            stops.push(() => socket.close());
          } else {
            const onStatus = (s: string) =>
              s === "open" ? (openedAt[i] = epochNow()) : s === "closed" && streamsGaveUp++;
            stops.push(
              listen({
                baseUrl: server.url,
                EventSource: nodeEventSource(countedFetch),
                onMessage: receive(i),
                onStatus,
              }),
            );
          }
        },
        (i / clients) * spreadMs,
      );
    }
    if (!(await until(() => openedAt.every((t) => t > 0), 30_000)))
      throw new Error("not every client connected within 30 s");

    phase("publish");
    const stopPublishing = new AbortController();
    const publishing = publish({
      baseUrl: server.url,
      rate: options.rate,
      duration: 600_000, // until stopped, afterMs after the server is back
      arrivals: "steady",
      nonce,
      signal: stopPublishing.signal,
    });
    await sleep(options.beforeMs);
    const before = await server.snapshot();
    const listenBefore = listenQueueDrops();

    phase("kill");
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const killAt = epochNow();
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGKILL");
    await exited;
    running = undefined;
    await sleep(Math.max(0, killAt + options.downMs - epochNow()));
    phase("restart");
    const restartAt = epochNow();
    server = running = await ServerProcess.start({ env: { BENCH_PORT: port, BENCH_DATA_DIR: dataDir } });
    const backAt = epochNow();
    const publishedAfter = setTimeout(() => stopPublishing.abort(), options.afterMs);

    phase("recover");
    await until(() => openedAt.every((t) => t > killAt), STORM_RECOVERY_BOUND_MS + 5000);
    const published = await publishing.finally(() => clearTimeout(publishedAfter));
    phase("drain");
    const storedSeqs = published.stored.flatMap((ok, seq) => (ok ? [seq] : []));
    await until(() => seen.every((mine) => storedSeqs.every((seq) => mine.has(seq))), 10_000);
    const after = await server.snapshot();
    loopDelay.disable();
    const listenAfter = listenQueueDrops();

    const { lost, duplicated } = delivery({ receipts }, published.sentAt, published.stored);
    // A POST that failed before the kill, or was sent after the return: the server was up. One still open at the kill
    // was cut by it, and whether it was stored nobody knows: it was never acknowledged.
    const failedWhileUp = (seq: number) => published.doneAt[seq]! < killAt || published.sentAt[seq]! >= backAt;
    const postsFailedWhileUp = published.sentAt.filter((_, seq) => !published.stored[seq] && failedWhileUp(seq)).length;
    const recoveries = openedAt
      .filter((t) => t > killAt)
      .map((t) => Math.max(0, t - backAt))
      .sort((a, b) => a - b);
    const errors = {
      failedAfterBack: failedAt.filter((at) => at >= backAt).length,
      streamsGaveUp,
      postsFailedWhileUp,
      notBack: clients - recoveries.length,
    };
    const ok = lost === 0 && duplicated === 0 && Object.values(errors).every((n) => n === 0);
    const since = (at: number) => at - killAt;
    return {
      options: {
        sockets: options.sockets,
        streams: options.streams,
        rate: options.rate,
        downMs: options.downMs,
        beforeMs: options.beforeMs,
        afterMs: options.afterMs,
      },
      restartMs: since(restartAt),
      backMs: since(backAt),
      lastDropMs: since(Math.max(killAt, ...droppedAt.filter((at) => at >= killAt && at < backAt))),
      attempts: {
        socket: attempts.socket.filter((at) => at >= killAt).map(since),
        sse: attempts.sse.filter((at) => at >= killAt).map(since),
      },
      planned: { settled: planned.filter((at) => at >= killAt).map(since), longestWaitMs },
      recoveries,
      clients,
      errors,
      refusedWhileDown: failedAt.filter((at) => at >= killAt && at < backAt).length,
      posts: {
        sent: published.sentAt.length,
        acknowledged: storedSeqs.length,
        acknowledgedAfterBack: storedSeqs.filter((seq) => published.sentAt[seq]! >= backAt).length,
        failedAtMs: published.sentAt.filter((_, seq) => !published.stored[seq]).map(since),
      },
      lost,
      duplicated,
      server: {
        before,
        after,
        listen: listenBefore &&
          listenAfter && {
            overflows: listenAfter.overflows - listenBefore.overflows,
            drops: listenAfter.drops - listenBefore.drops,
          },
      },
      loadAverage: loadavg()[0]!,
      clientLoopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      ok,
    };
  } finally {
    for (const stop of stops) stop();
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
