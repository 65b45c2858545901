import { LatencyRecorder, type LatencySummary } from "../core/percentiles.ts";
import { predict, type Prediction } from "./models.ts";
import type {
  BrokerTimes,
  Calibration,
  GroupRecord,
  Receipt,
  RunRecord,
  ServerKind,
  ServerReport,
  TlsProbe,
  TlsProtocol,
} from "../core/records.ts";

/** A measured/predicted pair; outside ±10 % the report flags it. */
export interface ModelCheck {
  what: string;
  measured: number;
  predicted: number;
  /** measured / predicted, or null when the prediction is 0. */
  ratio: number | null;
  ok: boolean;
  /** Context for reading the check, e.g. the sampling error of a mean from few messages. */
  note?: string;
}

export const MODEL_TOLERANCE = 0.1;

export function check(what: string, measured: number, predicted: number): ModelCheck {
  if (predicted === 0) return { what, measured, predicted, ratio: null, ok: measured === 0 };
  const ratio = measured / predicted;
  return { what, measured, predicted, ratio, ok: Math.abs(ratio - 1) <= MODEL_TOLERANCE };
}

/** Server-side cost in one window, counted at the server's TCP sockets. */
export interface WindowFigures {
  ms: number;
  /** HTTP requests answered (upgrades not included); in the publish window the publisher's POSTs are taken out. */
  requests: number;
  /** `GET /messages` answers that carried nothing. */
  emptyResponses: number;
  upgrades: number;
  /** TCP connections the server accepted (each a handshake; bench --rtt shows them). */
  connections: number;
  /** Bytes the server read (clients → server) and wrote (server → clients): headers, handshakes, frames included. */
  bytesIn: number;
  bytesOut: number;
  /** Server CPU (user + system), ms. */
  serverCpuMs: number;
}

export function windowFigures(
  from: ServerReport,
  to: ServerReport,
  ms: number,
  minus = { requests: 0, bytesIn: 0, bytesOut: 0 },
): WindowFigures {
  const total = (report: ServerReport) => Object.values(report.requests).reduce((sum, n) => sum + n, 0);
  return {
    ms,
    requests: total(to) - total(from) - minus.requests,
    emptyResponses: to.emptyResponses - from.emptyResponses,
    upgrades: to.upgrades - from.upgrades,
    connections: to.connections - from.connections,
    bytesIn: to.bytesRead - from.bytesRead - minus.bytesIn,
    bytesOut: to.bytesWritten - from.bytesWritten - minus.bytesOut,
    serverCpuMs: (to.cpuUserMicros + to.cpuSystemMicros - from.cpuUserMicros - from.cpuSystemMicros) / 1000,
  };
}

/** Server CPU per second of a window, ms/s: with the idle window, what N connected clients cost doing nothing. */
export const cpuMsPerSecond = (window: Pick<WindowFigures, "serverCpuMs" | "ms">) =>
  (window.serverCpuMs * 1000) / window.ms;

/** Who received what: latency of each first receipt, and every message missing or seen twice, client by client. */
export interface Delivery {
  latency: LatencySummary;
  /** Browser tabs: POST sent → a frame with the message drawn (the latency above is to its DOM insertion). */
  paint?: LatencySummary;
  /** Messages × clients. */
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
}

export function delivery(group: Pick<GroupRecord, "receipts">, sentAt: number[], stored: boolean[]): Delivery {
  const recorder = new LatencyRecorder();
  const paint = new LatencyRecorder();
  let painted = 0;
  const storedSeqs = stored.flatMap((ok, seq) => (ok ? [seq] : []));
  let delivered = 0;
  let lost = 0;
  let duplicated = 0;
  for (const receipts of group.receipts) {
    const first = new Map<number, Receipt>();
    for (const receipt of receipts) {
      if (first.has(receipt.seq)) duplicated++;
      else first.set(receipt.seq, receipt);
    }
    for (const seq of storedSeqs) {
      const receipt = first.get(seq);
      if (receipt === undefined) lost++;
      else {
        delivered++;
        recorder.record(receipt.at - sentAt[seq]!);
        if (receipt.paintedAt !== undefined) {
          painted++;
          paint.record(receipt.paintedAt - sentAt[seq]!);
        }
      }
    }
  }
  return {
    latency: recorder.summary(),
    ...(painted > 0 ? { paint: paint.summary() } : {}),
    expected: storedSeqs.length * group.receipts.length,
    delivered,
    lost,
    duplicated,
  };
}

export interface GroupSummary extends Delivery {
  mode: string;
  /** Whether the mode polls on the interval T (else T means nothing for it). */
  usesInterval: boolean;
  where: "node" | "browser";
  clients: number;
  clientRequests: number;
  clientSockets: number;
  clientErrors: number;
  /** Worker processes the clients ran in (bench/clients/client-workers.ts); absent: the bench's own process. */
  workers?: number;
  /** Sockets opened beyond one per client: reconnects after a drop. */
  reconnects: number;
  /** Bytes of one empty poll exchange used by this group's model (request + empty response). */
  emptyExchangeBytes: number;
  prediction: Prediction;
  model: ModelCheck[];
}

export interface BroadcastFigures {
  sockets: number;
  count: number;
  p50Ms: number;
  maxMs: number;
  meanMs: number;
  /** CPU time of the median broadcast: its cost even when other processes share the cores. */
  cpuP50Ms: number;
}

export interface RunSummary {
  label: string;
  /** Which server was measured: ours, or the framework-free floor (bench --floor). */
  server: ServerKind;
  /** bench --http2: the protocol the clients spoke over TLS, the probe of one poll, TLS connections by ALPN protocol. */
  tls?: { protocol: TlsProtocol; probe: TlsProbe; protocols: Record<string, number> };
  interval: number;
  duration: number;
  rate: number;
  arrivals: string;
  clients: number;
  calibration: Calibration & {
    /** Browser request size, measured in the idle window (bytes read per poll), when browser tabs ran. */
    browserRequestBytes?: number;
  };
  groups: GroupSummary[];
  idle: WindowFigures;
  publish: WindowFigures;
  publisher: { posted: number; errors: number; bytesSent: number; bytesReceived: number };
  /** Publish window, per message delivered to one client: bytes on the wire, requests, server CPU (user + system). */
  perMessage: { bytes: number; requests: number; serverCpuMicros: number };
  /** Idle window: bytes on the wire per second, all clients, both directions. */
  idleBytesPerSecond: number;
  /** Idle window: server CPU, ms per second (polling pays for every empty answer; an open socket costs nothing). */
  idleCpuMsPerSecond: number;
  clientCpuMs: number;
  serverPeakRssBytes: number;
  broadcast: BroadcastFigures | null;
  /** Server instances (bench --instances), and the broker's latency: publish → each instance's transports. */
  instances: number;
  broker: LatencySummary | null;
  /**
   * The server's part of the latency: POST sent → the server hands the message to its transports (broadcast start).
   * The rest of a client's latency is the transport's and the client's own (for WebSocket: the sends and the parsing).
   */
  handoff: LatencySummary | null;
  /** Over the clients' whole life: what the server answered and what the clients say they asked. */
  totals: { serverRequests: number; clientRequests: number; serverUpgrades: number; clientSockets: number };
  model: ModelCheck[];
  drained: boolean;
  /** 1-minute load average of the machine at the end of publishing (see RunRecord). */
  loadAverage: number;
  /** Why the run is not clean (lost or duplicated messages, failed posts, a model outside ±10 %). Empty when clean. */
  problems: string[];
  /** Lost, duplicated, failed posts: the bench exits non-zero when any run has them. */
  failed: boolean;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function broadcastFigures(broadcasts: ServerReport["broadcasts"]): BroadcastFigures | null {
  if (broadcasts.length === 0) return null;
  const sockets = Math.max(...broadcasts.map((b) => b.sockets));
  const full = broadcasts.filter((b) => b.sockets === sockets);
  const times = full.map((b) => b.micros / 1000).sort((a, b) => a - b);
  const cpu = full.map((b) => b.cpuMicros / 1000).sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return {
    sockets,
    count: times.length,
    p50Ms: times[mid]!,
    maxMs: times[times.length - 1]!,
    meanMs: sum(times) / times.length,
    cpuP50Ms: cpu[mid]!,
  };
}

/** POST sent → the first moment a server instance handed the message to its transports, per stored message. */
function handoffLatency(
  publish: Pick<RunRecord["publish"], "sentAt" | "ids">,
  received: [number, number][] | undefined,
): LatencySummary | null {
  if (!received || received.length === 0) return null;
  const firstAt = new Map<number, number>();
  for (const [id, at] of received) firstAt.set(id, Math.min(at, firstAt.get(id) ?? Infinity));
  const recorder = new LatencyRecorder();
  publish.ids.forEach((id, seq) => {
    const at = firstAt.get(id);
    if (at !== undefined) recorder.record(at - publish.sentAt[seq]!);
  });
  return recorder.summary();
}

/** Broker latency: for every message, from publish on its instance to each instance's listeners (1 hop per instance). */
export function brokerLatency(times: BrokerTimes | undefined): LatencySummary | null {
  if (!times || times.published.length === 0) return null;
  const publishedAt = new Map(times.published);
  const recorder = new LatencyRecorder();
  for (const [id, at] of times.received) {
    const start = publishedAt.get(id);
    if (start !== undefined) recorder.record(at - start);
  }
  return recorder.summary();
}

/** Turns one run's raw record into the figures the reports show. */
export function summarize(record: RunRecord): RunSummary {
  const { snapshots: s, calibration, publish } = record;
  const posted = publish.sentAt.length;
  const idle = windowFigures(s.idleStart, s.idleEnd, record.idleMs);
  const win = windowFigures(s.idleEnd, s.publishEnd, record.publishMs, {
    requests: posted,
    bytesIn: publish.bytesSent,
    bytesOut: publish.bytesReceived,
  });
  const idlePolls = (s.idleEnd.requests["GET /messages"] ?? 0) - (s.idleStart.requests["GET /messages"] ?? 0);
  const browserRequestBytes =
    record.groups.some((g) => g.where === "browser") && idlePolls > 0
      ? (s.idleEnd.bytesRead - s.idleStart.bytesRead) / idlePolls
      : undefined;
  const browserExchangeBytes = idlePolls > 0 ? (idle.bytesIn + idle.bytesOut) / idlePolls : 0;
  const nodeExchangeBytes = calibration.requestBytes + calibration.emptyResponseBytes;

  const groups: GroupSummary[] = record.groups.map((group) => {
    const emptyExchangeBytes = group.where === "browser" ? browserExchangeBytes : nodeExchangeBytes;
    const input = { clients: group.clients, interval: record.interval, rttMs: calibration.rttMs, emptyExchangeBytes };
    const prediction = predict(group.mode.name, { ...input, windowMs: record.publishMs });
    const idlePrediction = predict(group.mode.name, { ...input, windowMs: record.idleMs });
    const result = delivery(group, publish.sentAt, publish.stored);
    const model: ModelCheck[] = [];
    if (prediction.latencyMeanMs !== undefined && result.latency.count > 0) {
      // A uniform wait over T has standard deviation T/√12; with m messages the mean of one client's waits is off by
      // T/√(12 m) (1σ). Clients poll at independent phases, so more clients only narrow it: this is the worst case.
      const messages = publish.stored.filter(Boolean).length;
      const sigma = record.interval / Math.sqrt(12 * Math.max(1, messages)) / prediction.latencyMeanMs;
      model.push({
        ...check("latency mean (ms)", result.latency.mean, prediction.latencyMeanMs),
        note: `sampling error ±${(sigma * 100).toFixed(1)} % (1σ, ${messages} messages, one client)`,
      });
    }
    return {
      mode: group.mode.name,
      usesInterval: group.mode.usesInterval,
      where: group.where,
      clients: group.clients,
      ...result,
      clientRequests: group.clientRequests,
      clientSockets: group.clientSockets,
      clientErrors: group.clientErrors,
      ...(group.workers ? { workers: group.workers } : {}),
      reconnects: group.clientSockets > 0 ? group.clientSockets - group.clients : 0,
      emptyExchangeBytes,
      prediction: { ...prediction, idleBytes: idlePrediction.idleBytes },
      model,
    };
  });

  const predicted = (pick: (p: Prediction) => number | undefined) =>
    groups.every((g) => pick(g.prediction) !== undefined) ? sum(groups.map((g) => pick(g.prediction)!)) : undefined;
  const model: ModelCheck[] = [];
  // Each poller makes ⌊W/T⌋ or ⌈W/T⌉ requests in a window W, by where the window cuts its interval: over n pollers at
  // independent phases that is at most √n / 2 requests off (1σ), a large share of a short window with few clients.
  const pollers = sum(groups.filter((g) => (g.prediction.requests ?? 0) > 0).map((g) => g.clients));
  const phaseNote = (windowMs: number) => {
    const expected = (pollers * windowMs) / record.interval;
    return expected > 0
      ? `sampling error ≤ ±${((Math.sqrt(pollers) / 2 / expected) * 100).toFixed(1)} % (1σ, ${pollers} pollers, ${round(windowMs / 1000)} s window)`
      : undefined;
  };
  const requests = predicted((p) => p.requests);
  if (requests !== undefined)
    model.push({ ...check("requests", win.requests, requests), note: phaseNote(record.publishMs) });
  const idleBytes = predicted((p) => p.idleBytes);
  // A server that counts no bytes (the Deno rival) has nothing to check the model against.
  const idleMeasured = idle.bytesIn + idle.bytesOut;
  if (idleBytes !== undefined && !Number.isNaN(idleMeasured))
    model.push({ ...check("idle bytes", idleMeasured, idleBytes), note: phaseNote(record.idleMs) });

  const delivered = sum(groups.map((g) => g.delivered));
  const totalRequests = (report: ServerReport) => sum(Object.values(report.requests));
  const totals = {
    serverRequests: totalRequests(s.final) - totalRequests(s.calibrated) - posted,
    clientRequests: sum(groups.map((g) => g.clientRequests)),
    serverUpgrades: s.final.upgrades - s.calibrated.upgrades,
    clientSockets: sum(groups.map((g) => g.clientSockets)),
  };

  const problems: string[] = [];
  for (const g of groups) {
    if (g.lost > 0) problems.push(`${g.mode}: ${g.lost} messages lost`);
    if (g.duplicated > 0) problems.push(`${g.mode}: ${g.duplicated} messages duplicated`);
    if (g.clientErrors > 0) problems.push(`${g.mode}: ${g.clientErrors} client requests failed`);
    if (g.reconnects > 0) problems.push(`${g.mode}: ${g.reconnects} reconnects`);
  }
  if (publish.errors > 0) problems.push(`${publish.errors} POSTs failed`);
  const protocols = s.final.protocols ?? {};
  // ALPN checked, not assumed: an h2 run's HTTP clients all got h2, an h1 run's none did (a socket's own connection is
  // HTTP/1.1, or offers no ALPN at all: Node's ws).
  const wrong = record.tls === "h2" ? (protocols["http/1.1"] ?? 0) : (protocols.h2 ?? 0);
  const sockets = record.groups.some((g) => g.mode.socket);
  if (record.tls && !sockets && wrong > 0) problems.push(`${wrong} TLS connections did not speak ${record.tls}`);
  const failed = problems.length > 0;
  if (!record.drained) problems.push("the drain timeout ended the wait for delivery");
  for (const c of [...model, ...groups.flatMap((g) => g.model)]) {
    if (!c.ok)
      problems.push(
        `model: ${c.what} measured ${round(c.measured)} vs predicted ${round(c.predicted)}${c.note ? `; ${c.note}` : ""}`,
      );
  }

  return {
    label: groups.map((g) => groupLabel(g, record.server, record.tls)).join(" + "),
    server: record.server,
    tls: record.tls && { protocol: record.tls, probe: record.tlsProbe!, protocols },
    interval: record.interval,
    duration: record.duration,
    rate: record.rate,
    arrivals: record.arrivals,
    clients: sum(groups.map((g) => g.clients)),
    calibration: { ...calibration, browserRequestBytes },
    groups,
    idle,
    publish: win,
    publisher: { posted, errors: publish.errors, bytesSent: publish.bytesSent, bytesReceived: publish.bytesReceived },
    perMessage: {
      bytes: delivered ? (win.bytesIn + win.bytesOut) / delivered : NaN,
      requests: delivered ? win.requests / delivered : NaN,
      serverCpuMicros: delivered ? (win.serverCpuMs * 1000) / delivered : NaN,
    },
    idleBytesPerSecond: ((idle.bytesIn + idle.bytesOut) * 1000) / idle.ms,
    idleCpuMsPerSecond: cpuMsPerSecond(idle),
    clientCpuMs: record.clientCpuMicros / 1000,
    serverPeakRssBytes: (record.closed ?? s.final).maxRssBytes,
    broadcast: broadcastFigures(s.publishEnd.broadcasts),
    instances: record.instances ?? 1,
    broker: brokerLatency(s.publishEnd.broker),
    handoff: handoffLatency(publish, s.publishEnd.broker?.received),
    totals,
    model,
    drained: record.drained,
    loadAverage: record.loadAverage,
    problems,
    failed,
  };
}

/** A client group's name in tables, notes and charts: its mode, marked when in browser tabs, on the floor or Deno. */
export function groupLabel(
  group: { mode: string; where?: "node" | "browser" },
  server: ServerKind = "app",
  tls?: TlsProtocol,
): string {
  const over = tls ? (group.mode === "socket" ? " [wss]" : ` [${tls}/tls]`) : "";
  return `${group.mode}${group.where === "browser" ? " (browser)" : ""}${server === "floor" || server === "deno" ? ` (${server})` : ""}${over}`;
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);
