/**
 * What this machine's loopback costs before any server code runs (`npm run bench -- --machine`): round trips to
 * another process, back to back and with the process left idle in between, and the cost of writing one frame to
 * many TCP connections. The README's claims about the machine are these figures; the probe makes them reproducible.
 *
 * The counterpart is a separate process (machine-probe-entry.ts), because waking another process is the point: on a
 * VM whose idle vCPUs halt, a round trip after a pause costs more than one back to back.
 */
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import type { Socket } from "node:net";
import { cpus, loadavg, release } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { WebSocket } from "ws";
import { LatencyRecorder } from "../core/percentiles.ts";
import { epochNow } from "../clients/publisher.ts";
import type { BroadcastTiming } from "../servers/server-ipc.ts";
import { forkReady } from "../processes/channel.ts";
import type { MachineProbe, RoundTrips, Spread } from "../core/records.ts";
import { entryFile } from "../processes/entries.ts";

export const ECHO_PATH = "/echo";
export const SINK_PATH = "/sink";

export type ToProbeServer = { type: "broadcast"; round: number };
export type FromProbeServer =
  | { type: "ready"; url: string }
  | ({
      type: "broadcast";
      round: number /** epochNow() just before the write loop */;
      startedAt: number;
    } & BroadcastTiming);

const ENTRY = entryFile("probes/machine-probe");

export interface ProbeOptions {
  /** Timed round trips of each kind (default 40). */
  samples?: number;
  /** Timed broadcasts (default 30). */
  broadcasts?: number;
  /** WebSockets a broadcast writes to (default 100, the bench's client count). */
  sockets?: number;
  /** Pause between spaced round trips and between broadcasts, ms (default 50: the bench's publisher posts ~10/s). */
  gapMs?: number;
  /** Untimed round trips (and a third as many broadcasts) before timing starts (default 10). */
  warmup?: number;
}

const DEFAULTS: Required<ProbeOptions> = { samples: 40, broadcasts: 30, sockets: 100, gapMs: 50, warmup: 10 };

/** The whole probe gives up after this long (it takes ~7 s with the defaults). */
const PROBE_TIMEOUT_MS = 60_000;
/** How long the counterpart may take to exit once disconnected before it is killed. */
const EXIT_GRACE_MS = 5000;

const spread = (recorder: LatencyRecorder): Spread => {
  const { count, p50, p90 } = recorder.summary();
  return { count, p50, p90 };
};

const readOptional = (path: string) =>
  readFile(path, "utf8").then(
    (text) => text.trim(),
    () => null,
  );

async function machineFacts(): Promise<MachineProbe["machine"]> {
  const cmdline = await readOptional("/proc/cmdline");
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    kernel: release(),
    node: process.version,
    loadAverage: loadavg(),
    cpuidleDriver: await readOptional("/sys/devices/system/cpu/cpuidle/current_driver"),
    haltPoll: cmdline?.split(/\s+/).find((token) => token.includes("guest_halt_poll_ns")) ?? null,
  };
}

/** `once` timed `samples` times, back to back or each `gapMs` after the last. */
async function timed(once: () => Promise<void>, samples: number, gapMs: number): Promise<Spread> {
  const recorder = new LatencyRecorder();
  for (let i = 0; i < samples; i++) {
    if (gapMs > 0) await sleep(gapMs);
    const start = performance.now();
    await once();
    recorder.record(performance.now() - start);
  }
  return spread(recorder);
}

async function roundTrips(once: () => Promise<void>, o: Required<ProbeOptions>): Promise<RoundTrips> {
  for (let i = 0; i < o.warmup; i++) await once();
  return { backToBack: await timed(once, o.samples, 0), spaced: await timed(once, o.samples, o.gapMs) };
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket)).once("error", reject);
  });
}

async function probeHttp(url: string, o: Required<ProbeOptions>): Promise<RoundTrips> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const connections = new Set<Socket>();
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent }, (res) => res.resume().once("end", resolve));
      req
        .on("socket", (socket) => connections.add(socket))
        .once("error", reject)
        .end();
    });
  try {
    const result = await roundTrips(get, o);
    // A new connection's handshake would be in the figures: they are only keep-alive round trips if there was one.
    if (connections.size !== 1)
      throw new Error(`the HTTP round trips used ${connections.size} connections, not one kept alive`);
    return result;
  } finally {
    agent.destroy();
  }
}

async function probeEcho(wsUrl: string, o: Required<ProbeOptions>): Promise<RoundTrips> {
  const socket = await connect(`${wsUrl}${ECHO_PATH}`);
  const echo = () =>
    new Promise<void>((resolve) => {
      socket.once("message", () => resolve());
      socket.send("x");
    });
  try {
    return await roundTrips(echo, o);
  } finally {
    socket.terminate();
  }
}

async function probeBroadcast(
  child: ChildProcess,
  wsUrl: string,
  o: Required<ProbeOptions>,
): Promise<MachineProbe["broadcast"]> {
  const sinks = await Promise.all(Array.from({ length: o.sockets }, () => connect(`${wsUrl}${SINK_PATH}`)));
  let round = 0;
  let receipts: number[] = [];
  let allIn = () => {};
  for (const sink of sinks) {
    sink.on("message", (data) => {
      if (String(data) === String(round) && receipts.push(epochNow()) === o.sockets) allIn();
    });
  }
  const broadcast = async () => {
    receipts = [];
    const received = new Promise<void>((resolve) => (allIn = resolve));
    const timing = new Promise<FromProbeServer>((resolve) => child.once("message", resolve));
    child.send({ type: "broadcast", round: ++round } satisfies ToProbeServer);
    const [answer] = await Promise.all([timing, received]);
    if (answer.type !== "broadcast" || answer.sockets !== o.sockets)
      throw new Error(
        `the broadcast reached ${answer.type === "broadcast" ? answer.sockets : 0} sockets, not ${o.sockets}`,
      );
    return { answer, receipts };
  };
  const loop = new LatencyRecorder();
  const first = new LatencyRecorder();
  const last = new LatencyRecorder();
  const each = new LatencyRecorder();
  try {
    for (let i = 0; i < Math.ceil(o.warmup / 3); i++) await broadcast();
    for (let i = 0; i < o.broadcasts; i++) {
      await sleep(o.gapMs);
      const { answer, receipts: got } = await broadcast();
      loop.record(answer.micros / 1000);
      first.record(Math.min(...got) - answer.startedAt);
      last.record(Math.max(...got) - answer.startedAt);
      for (const at of got) each.record(at - answer.startedAt);
    }
  } finally {
    for (const sink of sinks) sink.terminate();
  }
  const loopSpread = spread(loop);
  return {
    sockets: o.sockets,
    loop: loopSpread,
    microsPerSocket: (loopSpread.p50 * 1000) / o.sockets,
    firstReceipt: spread(first),
    lastReceipt: spread(last),
    eachReceipt: spread(each),
  };
}

/** Disconnects the counterpart (it exits on that) and waits until it has; kills it if it does not. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const force = setTimeout(() => child.kill("SIGKILL"), EXIT_GRACE_MS);
  if (child.connected) child.disconnect();
  else child.kill();
  await exited;
  clearTimeout(force);
}

/** Measures this machine's loopback against a counterpart process of its own, which is gone when this resolves. */
export async function probeMachine(options: ProbeOptions = {}): Promise<MachineProbe> {
  const o = { ...DEFAULTS, ...options };
  const machine = await machineFacts();
  const { child, url } = await forkReady(ENTRY);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the machine probe took over ${PROBE_TIMEOUT_MS / 1000} s`)),
      PROBE_TIMEOUT_MS,
    );
  });
  const wsUrl = url.replace(/^http/, "ws");
  const measure = async (): Promise<MachineProbe> => ({
    machine,
    gapMs: o.gapMs,
    http: await probeHttp(url, o),
    websocket: await probeEcho(wsUrl, o),
    broadcast: await probeBroadcast(child, wsUrl, o),
  });
  try {
    return await Promise.race([measure(), deadline]);
  } finally {
    clearTimeout(timer);
    await stop(child);
  }
}
