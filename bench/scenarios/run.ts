import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { startBrowserGroup } from "../clients/browser-clients.ts";
import { allReceived, startNodeGroup, type ClientGroup } from "../clients/client-group.ts";
import { startWorkerGroup, workersFor } from "../clients/client-workers.ts";
import { modeRecord, type BenchMode } from "../clients/modes.ts";
import { publish } from "../clients/publisher.ts";
import { ServerCluster } from "../servers/cluster.ts";
import { FLOOR_MODES, floorServes, ServerProcess } from "../servers/server-process.ts";
import { probeTls } from "../probes/tls-probe.ts";
import { EPOCH_HEADER, EPOCH_PARAM } from "../../shared/protocol.ts";
import type { Arrivals, Calibration, GroupRecord, RunRecord, ServerKind, TlsProtocol } from "../core/records.ts";
import type { ConnectionLimits } from "../../server/node/connection-guard.ts";

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
  /** bench --http2: the clients connect over TLS and speak this protocol (sockets: wss://, an HTTP/1.1 upgrade). */
  tls?: TlsProtocol;
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
  onServer?: (url: string, secureUrl?: string) => Promise<void>;
  onPhase?: (phase: Phase) => void;
  onPosted?: (posted: number, total: number) => void;
  /** The caps our server is configured with (tests scale them down; default: `npm start`'s, limits.ts). */
  connectionLimits?: ConnectionLimits;
  /** Keep those caps as they are instead of lifting them to fit the run's clients (a test of the deadline). */
  keepCaps?: boolean;
  /** How long the clients get to connect beyond their spread start, ms (default CONNECT_DEADLINE_MS). */
  connectDeadline?: number;
}

/**
 * Clients still not connected this long after the last of them started fail the run with a clear message: a client
 * the server refuses retries forever, and a run that cannot connect must end, not hang.
 */
const CONNECT_DEADLINE_MS = 60_000;

/** Connections the bench opens beside its clients' own (calibration, the publisher, a poll's next connection). */
const SPARE_CONNECTIONS = 100;

/** Resolves when every group is connected; rejects with which groups were not, `deadline` ms after the spread. */
async function connected(groups: ClientGroup[], spreads: number[], deadline: number): Promise<void> {
  const done = new Set<ClientGroup>();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => {
        const missing = groups.filter((group) => !done.has(group));
        const which = missing.map((group) => `${group.clients} ${group.mode.name}`).join(", ");
        reject(
          new Error(
            `clients could not connect within ${Math.round(deadline / 1000)} s of starting (${which}): the server ` +
              "refused or dropped their connections (its connection caps, docs/hardening.md, or the nofile limit)",
          ),
        );
      },
      Math.max(0, ...spreads) + deadline,
    );
  });
  try {
    await Promise.race([Promise.all(groups.map((group) => group.ready.then(() => done.add(group)))), late]);
  } finally {
    clearTimeout(timer);
  }
}

export type Phase = "server" | "calibrate" | "connect" | "idle" | "publish" | "drain" | "stop";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calibration probe: one empty poll for its bytes, then sequential polls on a warm server for the round trip. */
async function calibrate(server: Pick<ServerProcess, "url" | "snapshot">): Promise<Calibration> {
  // Polled as the clients poll (clients/transports/polling.ts): with the epoch their last id counts in.
  const first = await fetch(`${server.url}/messages?since=1`);
  await first.text();
  const epoch = first.headers.get(EPOCH_HEADER);
  const url = `${server.url}/messages?since=1${epoch ? `&${EPOCH_PARAM}=${epoch}` : ""}`;
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
    if (!(group.delivered ? await group.delivered(expected) : allReceived(await group.receipts(), expected)))
      return false;
  }
  return true;
}

/** CPU of the client worker processes (client-workers.ts), µs; the bench's own process is counted apart. */
const workersCpu = async (groups: ClientGroup[]) =>
  (await Promise.all(groups.map((group) => group.cpuMicros?.() ?? 0))).reduce((a, b) => a + b, 0);

/** Client starts are spread: pollers at random phases of T; sockets ~1 per ms so the listen backlog never overflows. */
const spreadOf = (spec: GroupSpec, interval: number) => (spec.mode.usesInterval ? interval : spec.clients);

/** What tells our server process (bench/servers/server-entry.ts) its caps, and how many connections the run needs. */
function capsEnv(options: RunOptions): NodeJS.ProcessEnv {
  const clients = options.groups.reduce((sum, group) => sum + group.clients, 0);
  return {
    BENCH_CONNECTIONS: String(clients + SPARE_CONNECTIONS),
    ...(options.connectionLimits && { BENCH_CONNECTION_LIMITS: JSON.stringify(options.connectionLimits) }),
    ...(options.keepCaps && { BENCH_KEEP_CAPS: "1" }),
  };
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
  const tls = options.tls;
  if (tls && (instances > 1 || kind === "floor")) throw new Error("--http2 runs one instance of our server");
  const server =
    instances > 1
      ? await ServerCluster.start(instances)
      : await ServerProcess.start({ entry: kind, tls: !!tls, env: capsEnv(options) });
  // Over TLS every client connects to the TLS port; the publisher still posts on the plain one (its bytes are taken out).
  const secure = tls ? (server as ServerProcess).secure! : undefined;
  const clientUrl = secure?.url ?? server.url;
  const groups: ClientGroup[] = [];
  try {
    await options.onServer?.(server.url, secure?.url);
    phase("calibrate");
    const tlsProbe = secure && (await probeTls(tls!, server.url, secure, () => server.snapshot()));
    const calibration = tlsProbe
      ? { requestBytes: tlsProbe.tls.steady.in, emptyResponseBytes: tlsProbe.tls.steady.out, rttMs: tlsProbe.tls.rttMs }
      : await calibrate(server);
    const calibrated = await server.snapshot();

    phase("connect");
    const urls = options.route ? await Promise.all(server.urls.map(options.route)) : server.urls;
    for (const spec of options.groups) {
      const nodeGroup = {
        mode: spec.mode,
        clients: spec.clients,
        // Over TLS (--http2) the secure port; else each instance's URL, through the room's delay proxy with --rtt.
        baseUrl: secure ? clientUrl : urls[0]!,
        baseUrls: secure ? undefined : urls,
        tls: secure && { protocol: tls!, ca: secure.cert },
        interval: options.interval,
        nonce,
        spreadMs: spreadOf(spec, options.interval),
      };
      const workers = workersFor(spec.clients);
      groups.push(
        spec.where === "browser"
          ? startBrowserGroup({
              mode: spec.mode,
              tabs: spec.clients,
              baseUrl: nodeGroup.baseUrl,
              baseUrls: nodeGroup.baseUrls,
              interval: options.interval,
              nonce,
              tls,
            })
          : workers > 0
            ? startWorkerGroup(nodeGroup, workers)
            : startNodeGroup(nodeGroup),
      );
    }
    const spreads = options.groups.map((spec) => spreadOf(spec, options.interval));
    await connected(groups, spreads, options.connectDeadline ?? CONNECT_DEADLINE_MS);
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
    const workersCpu0 = await workersCpu(groups);
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
    const workersCpuMicros = (await workersCpu(groups)) - workersCpu0;
    const loadAverage = loadavg()[0]!;

    phase("stop");
    const records: GroupRecord[] = [];
    for (const group of groups) {
      const counts = await group.counts();
      records.push({
        mode: modeRecord(group.mode),
        where: group.where,
        clients: group.clients,
        receipts: await group.receipts(),
        clientRequests: counts.requests,
        clientSockets: counts.sockets,
        clientErrors: counts.errors,
        workers: group.workers,
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
      tls,
      tlsProbe,
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
      clientCpuMicros: cpu.user + cpu.system + workersCpuMicros,
      drained,
      loadAverage,
    };
  } finally {
    await Promise.all(groups.map((group) => group.stop()));
    await server.stop();
  }
}
