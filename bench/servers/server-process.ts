import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TrafficSnapshot } from "../../server/node/traffic-stats.ts";
import type { BenchMode } from "../clients/modes.ts";
import { startDenoProcess } from "./deno-process.ts";

/** A server snapshot plus the broadcasts timed since the last snapshot. */
export interface ServerReport extends TrafficSnapshot {
  /** WebSockets open at the snapshot (the hub's count). */
  openSockets: number;
  /** When each message was published, and when this instance's transports had it (bench/servers/cluster.ts pairs them). */
  broker?: { published: [number, number][]; received: [number, number][] };
  /** Each broadcast since the last snapshot: sockets it went to, wall time and CPU time it took, µs. */
  broadcasts: { sockets: number; micros: number; cpuMicros: number }[];
  /** Over TLS (bench --http2): connections by the protocol ALPN chose (`h2`, `http/1.1`). */
  protocols?: Record<string, number>;
}

/** The TLS port of a server started with BENCH_TLS=1 (bench --http2), and its self-signed certificate to trust. */
export interface SecurePort {
  url: string;
  cert: string;
}

/**
 * What a server that cannot count its bytes leaves out of its report: Deno.serve shows no TCP socket (the Deno rival,
 * rivals/deno-server-entry.ts). The bench reads them as not measured (NaN: "–" in the tables), never as 0.
 */
const UNCOUNTED_BYTES = {
  connections: NaN,
  bytesRead: NaN,
  bytesWritten: NaN,
  paneReadings: { requests: NaN, bytesIn: NaN, bytesOut: NaN },
};
type ByteCounts = keyof typeof UNCOUNTED_BYTES;
/** A report as a server sends it: with its byte counts, or without them. */
export type SentReport = Omit<ServerReport, ByteCounts> & Partial<Pick<ServerReport, ByteCounts>>;

export type ToServer = { type: "snapshot"; id: number } | { type: "stop" };
export type FromServer =
  | { type: "ready"; url: string; secure?: SecurePort }
  | { type: "snapshot"; id: number; report: SentReport }
  | { type: "stopped"; report: SentReport };

/**
 * How the bench talks to a server process, off the measured port: Node's IPC channel (forkReady), or JSON lines on a
 * Deno process's stdin and stdout (rivals/deno-process.ts).
 */
export interface ServerChannel {
  send(command: ToServer): void;
  onMessage(listener: (message: FromServer) => void): void;
  /** Whether a command can still reach the process (if not, stop() ends it by a signal). */
  readonly open: boolean;
}

const ipcOf = (child: ChildProcess): ServerChannel => ({
  send: (command) => child.send(command),
  onMessage: (listener) => child.on("message", listener),
  get open() {
    return child.connected;
  },
});

/** Resolves once the process says `{ type: "ready", url }`; rejects if it exits first. */
export async function readyOn(
  child: ChildProcess,
  channel: ServerChannel,
  what: string,
): Promise<{ url: string; secure?: SecurePort }> {
  const ready = await new Promise<{ url: string; secure?: SecurePort }>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${what} exited (code ${code}) before it was ready`)));
    channel.onMessage((message) => message.type === "ready" && resolve(message));
  });
  child.removeAllListeners("exit");
  return ready;
}

/**
 * Which server a run measures: `app`, ours as `npm start` runs it (server-entry.ts); `floor`, the least server that
 * speaks the protocol, node:http + ws and none of our request handling (floor-server-entry.ts): what this machine gives.
 */
export type ServerKind = "app" | "floor" | RivalKind;

/**
 * Rivals, measured alike (`--rivals`): `socketio`, Socket.IO 4.8 (rivals/socketio-server-entry.ts); `deno`, our own
 * createApp on Deno as `npm run start:deno` serves it (rivals/deno-server-entry.ts, started by rivals/deno-process.ts).
 */
export type RivalKind = "socketio" | "deno";

/** The Node entries, forked; Deno's is started by rivals/deno-process.ts. */
const ENTRIES: Record<Exclude<ServerKind, "deno">, string> = {
  app: fileURLToPath(new URL("./server-entry.ts", import.meta.url)),
  floor: fileURLToPath(new URL("./floor-server-entry.ts", import.meta.url)),
  socketio: fileURLToPath(new URL("./socketio-server-entry.ts", import.meta.url)),
};

/** The bench modes the floor server speaks: plain polling and WebSocket (no ETag, long polls, event streams, pages). */
export const FLOOR_MODES: readonly BenchMode["name"][] = ["polling", "socket"];

/** Whether the floor server can serve these client groups: only modes it speaks, simulated clients (it serves no pages). */
export const floorServes = (groups: readonly { mode: { name: BenchMode["name"] }; where?: "node" | "browser" }[]) =>
  groups.every((g) => FLOOR_MODES.includes(g.mode.name) && g.where !== "browser");

export interface StartOptions {
  /** Which server to fork (default `app`). */
  entry?: ServerKind;
  /** REDIS_URL and BENCH_NAMESPACE make the app one instance of a chat shared through Redis (bench/servers/cluster.ts). */
  env?: NodeJS.ProcessEnv;
  /** Also serve over TLS (HTTP/2 and HTTP/1.1), for bench --http2. */
  tls?: boolean;
}

/**
 * Forks a TypeScript entry (through tsx) with an IPC channel, and resolves once it says `{ type: "ready", url }`:
 * the one way the bench starts a process of its own (server entries, machine-probe-entry.ts).
 */
export async function forkReady(
  file: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; secure?: SecurePort }> {
  const child = fork(file, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...env },
  });
  return { child, ...(await readyOn(child, ipcOf(child), file)) };
}

/** A report with what its server did not count marked as not measured. */
const withUncounted = (report: SentReport): ServerReport => ({ ...UNCOUNTED_BYTES, ...report });

/** The server under test in a separate process (so its CPU and memory are its own), driven over IPC. */
export class ServerProcess {
  private nextId = 0;
  private readonly waiting = new Map<number, (report: ServerReport) => void>();

  private constructor(
    readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
    /** Its TLS port, when started with `tls`. */
    readonly secure: SecurePort | undefined,
    private readonly channel: ServerChannel,
  ) {
    channel.onMessage((message) => {
      if (message.type !== "snapshot") return;
      this.waiting.get(message.id)?.(withUncounted(message.report));
      this.waiting.delete(message.id);
    });
  }

  static async start({ entry = "app", env = {}, tls = false }: StartOptions = {}): Promise<ServerProcess> {
    if (entry === "deno") {
      const { child, channel, url } = await startDenoProcess();
      return new ServerProcess(child, url, undefined, channel);
    }
    const { child, url, secure } = await forkReady(ENTRIES[entry], tls ? { ...env, BENCH_TLS: "1" } : env);
    return new ServerProcess(child, url, secure, ipcOf(child));
  }

  get wsUrl(): string {
    return this.url.replace(/^http/, "ws");
  }

  /** Where clients connect: this one server (a ServerCluster has several). */
  get urls(): string[] {
    return [this.url];
  }

  /** The server's counters now, fetched over IPC (no traffic on the wire being measured). */
  snapshot(): Promise<ServerReport> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.channel.send({ type: "snapshot", id });
    });
  }

  /** Closes the server gracefully; resolves to its counts after every connection closed (undefined if it had died). */
  async stop(): Promise<ServerReport | undefined> {
    if (this.child.exitCode !== null) return undefined;
    let last: ServerReport | undefined;
    this.channel.onMessage((message) => {
      if (message.type === "stopped") last = withUncounted(message.report);
    });
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    const force = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    if (this.channel.open) this.channel.send({ type: "stop" });
    else this.child.kill();
    await exited;
    clearTimeout(force);
    return last;
  }
}
