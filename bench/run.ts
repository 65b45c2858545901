import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { startBrowserGroup } from "./browser-clients.ts";
import { startNodeGroup, type ClientGroup, type Receipt } from "./client-group.ts";
import type { BenchMode } from "./modes.ts";
import { publish, type Arrivals, type PublishResult } from "./publisher.ts";
import { ServerCluster } from "./cluster.ts";
import { FLOOR_MODES, floorServes, ServerProcess, type ServerKind, type ServerReport } from "./server-process.ts";

export interface GroupSpec {
  mode: BenchMode;
  clients: number;
  /** Simulated clients in this process (default), or real Chromium tabs. */
  where?: "node" | "browser";
}

export interface RunOptions {
  /** What connects: one group per mode; several groups share one server at once (e.g. pollers and sockets together). */
  groups: GroupSpec[];
  /** Server instances sharing the chat through Redis, clients spread over them (default 1: one process, no Redis). */
  instances?: number;
  /** Our server (`app`, the default) or the framework-free floor server (`floor`; one instance, FLOOR_MODES only). */
  server?: ServerKind;
  /** Poll interval T, ms. */
  interval: number;
  /** How long messages are published, ms. */
  duration: number;
  /** Messages per second. */
  rate: number;
  arrivals?: Arrivals;
  /** The quiet window (clients connected, nothing published) in which idle cost is measured, ms. */
  idle?: number;
  /** Longest wait for the last messages to arrive after the last POST, ms (default 2 T + 3 s). */
  drainTimeout?: number;
  /** Randomness for Poisson arrivals (tests pass a seeded one). */
  random?: () => number;
  /** Where clients connect instead of the server's URL (bench --rtt: a delay proxy in front of it); the caller closes it. */
  route?: (serverUrl: string) => Promise<string>;
  /** Called with the server's URL once it is up, before any client connects (a test starts a packet capture here). */
  onServer?: (url: string) => Promise<void>;
  onPhase?: (phase: Phase) => void;
  onPosted?: (posted: number, total: number) => void;
}

export type Phase = "server" | "calibrate" | "connect" | "idle" | "publish" | "drain" | "stop";

/** What one empty poll costs on the wire, and how long a warm request takes, measured on the fresh server. */
export interface Calibration {
  requestBytes: number;
  emptyResponseBytes: number;
  rttMs: number;
}

export interface GroupRecord {
  mode: BenchMode;
  where: "node" | "browser";
  clients: number;
  receipts: Receipt[][];
  /** Counted by the clients over their whole life. */
  clientRequests: number;
  clientSockets: number;
  /** Requests that failed or were answered with an error status, as the clients saw them. */
  clientErrors: number;
}

/** Everything one run measured, raw; aggregate.ts turns it into figures. */
export interface RunRecord {
  instances?: number;
  /** Which server was measured. */
  server: ServerKind;
  interval: number;
  duration: number;
  rate: number;
  arrivals: Arrivals;
  calibration: Calibration;
  groups: GroupRecord[];
  publish: PublishResult;
  /** Server snapshots: after calibration, start and end of the idle window, end of the publish window, after clients left. */
  snapshots: { calibrated: ServerReport; idleStart: ServerReport; idleEnd: ServerReport; publishEnd: ServerReport; final: ServerReport };
  /** The server's counts after it closed every connection (close frames included). */
  closed: ServerReport | undefined;
  idleMs: number;
  publishMs: number;
  /** CPU of this process (clients + publisher) during the publish window, µs. */
  clientCpuMicros: number;
  /** False if the drain timeout ended the wait before every client had every message. */
  drained: boolean;
  /** The machine's 1-minute load average when publishing ended: above the core count, other work shared the CPUs. */
  loadAverage: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calibration probe: one empty poll for its bytes, then sequential polls on a warm server for the round trip. */
async function calibrate(server: Pick<ServerProcess, "url" | "snapshot">): Promise<Calibration> {
  const url = `${server.url}/messages?since=1`;
  const before = await server.snapshot();
  await (await fetch(url)).text();
  const after = await server.snapshot();
  const times: number[] = [];
  // The first answers of a fresh process are slow (JIT warm-up): 20 untimed, then the median of 51.
  for (let i = 0; i < 20; i++) await (await fetch(url)).text();
  for (let i = 0; i < 51; i++) {
    const start = performance.now();
    await (await fetch(url)).text();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    requestBytes: after.bytesRead - before.bytesRead,
    emptyResponseBytes: after.bytesWritten - before.bytesWritten,
    rttMs: times[Math.floor(times.length / 2)]!,
  };
}

async function allDelivered(groups: ClientGroup[], expected: number): Promise<boolean> {
  for (const group of groups) {
    for (const receipts of await group.receipts()) {
      // Cheap test first: this runs every 50 ms over every client while they are busy receiving.
      if (receipts.length < expected || new Set(receipts.map((r) => r.seq)).size < expected) return false;
    }
  }
  return true;
}

/** One run on a fresh server process: connect, idle window, publish window, stop. */
export async function run(options: RunOptions): Promise<RunRecord> {
  const arrivals = options.arrivals ?? "poisson";
  const idle = options.idle ?? Math.max(1000, 2 * options.interval);
  const drainTimeout = options.drainTimeout ?? 2 * options.interval + 3000;
  const phase = options.onPhase ?? (() => {});
  const nonce = `bench-${randomBytes(4).toString("hex")}`;

  const instances = options.instances ?? 1;
  const kind = options.server ?? "app";
  if (kind === "floor") {
    if (!floorServes(options.groups) || instances > 1) {
      throw new Error(`the floor server is one process serving ${FLOOR_MODES.join(" and ")} to simulated clients only`);
    }
  }

  phase("server");
  const server = instances > 1 ? await ServerCluster.start(instances) : await ServerProcess.start({ entry: kind });
  const groups: ClientGroup[] = [];
  try {
    await options.onServer?.(server.url);
    phase("calibrate");
    const calibration = await calibrate(server);
    const calibrated = await server.snapshot();

    phase("connect");
    const urls = options.route ? await Promise.all(server.urls.map(options.route)) : server.urls;
    for (const spec of options.groups) {
      groups.push(
        spec.where === "browser"
          ? startBrowserGroup({ mode: spec.mode, tabs: spec.clients, baseUrl: urls[0]!, baseUrls: urls, interval: options.interval, nonce })
          : startNodeGroup({
              mode: spec.mode,
              clients: spec.clients,
              baseUrl: urls[0]!,
              baseUrls: urls,
              interval: options.interval,
              nonce,
              // Pollers start at random phases of T; sockets at most ~1 per ms so the listen backlog never overflows.
              spreadMs: spec.mode.usesInterval ? options.interval : Math.min(1000, spec.clients),
            }),
      );
    }
    await Promise.all(groups.map((group) => group.ready));
    // Warm-up: one more interval so every poller is in its steady rhythm.
    await sleep(Math.min(options.interval, 2000));

    phase("idle");
    const idleStart = await server.snapshot();
    const idleT0 = performance.now();
    await sleep(idle);
    const idleEnd = await server.snapshot();
    const idleMs = performance.now() - idleT0;

    phase("publish");
    const cpu0 = process.cpuUsage();
    const publishT0 = performance.now();
    const published = await publish({
      baseUrl: server.url,
      rate: options.rate,
      duration: options.duration,
      arrivals,
      nonce,
      random: options.random,
      onPosted: (n) => options.onPosted?.(n, Math.round((options.rate * options.duration) / 1000)),
    });
    phase("drain");
    const expected = published.stored.filter(Boolean).length;
    const drainEnd = performance.now() + drainTimeout;
    let drained = false;
    while (!(drained = await allDelivered(groups, expected)) && performance.now() < drainEnd) await sleep(50);
    const publishEnd = await server.snapshot();
    const publishMs = performance.now() - publishT0;
    const cpu = process.cpuUsage(cpu0);
    const loadAverage = loadavg()[0]!;

    phase("stop");
    const records: GroupRecord[] = [];
    for (const group of groups) {
      const counts = await group.counts();
      records.push({
        mode: group.mode,
        where: group.where,
        clients: group.clients,
        receipts: await group.receipts(),
        clientRequests: counts.requests,
        clientSockets: counts.sockets,
        clientErrors: counts.errors,
      });
    }
    await Promise.all(groups.splice(0).map((group) => group.stop()));
    // Polls already on the wire when the clients stopped are answered before the last count.
    await sleep(Math.min(1000, 50 + 20 * calibration.rttMs));
    const final = await server.snapshot();
    const closed = await server.stop();
    return {
      instances,
      server: kind,
      interval: options.interval,
      duration: options.duration,
      rate: options.rate,
      arrivals,
      calibration,
      groups: records,
      publish: published,
      snapshots: { calibrated, idleStart, idleEnd, publishEnd, final },
      closed,
      idleMs,
      publishMs,
      clientCpuMicros: cpu.user + cpu.system,
      drained,
      loadAverage,
    };
  } finally {
    await Promise.all(groups.map((group) => group.stop()));
    await server.stop();
  }
}
