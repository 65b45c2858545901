import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TrafficSnapshot } from "../server/traffic-stats.ts";

/** A server snapshot plus the broadcasts timed since the last snapshot. */
export interface ServerReport extends TrafficSnapshot {
  /** WebSockets open at the snapshot (the hub's count). */
  openSockets: number;
  /** When each message was published, and when this instance's transports had it (bench/cluster.ts pairs them). */
  broker?: { published: [number, number][]; received: [number, number][] };
  /** Each broadcast since the last snapshot: sockets it went to, wall time and CPU time it took, µs. */
  broadcasts: { sockets: number; micros: number; cpuMicros: number }[];
}

export type ToServer = { type: "snapshot"; id: number } | { type: "stop" };
type FromServer =
  | { type: "ready"; url: string }
  | { type: "snapshot"; id: number; report: ServerReport }
  | { type: "stopped"; report: ServerReport };

const ENTRY = fileURLToPath(new URL("./server-entry.ts", import.meta.url));

/** The real server in a separate process (so its CPU and memory are its own), driven over IPC. */
export class ServerProcess {
  private nextId = 0;
  private readonly waiting = new Map<number, (report: ServerReport) => void>();

  private constructor(
    readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
  ) {
    child.on("message", (message: FromServer) => {
      if (message.type !== "snapshot") return;
      this.waiting.get(message.id)?.(message.report);
      this.waiting.delete(message.id);
    });
  }

  /** `env`: REDIS_URL and BENCH_NAMESPACE make it one instance of a chat shared through Redis (bench/cluster.ts). */
  static async start(env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
    const child = fork(ENTRY, [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, ...env },
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the server process exited (code ${code}) before it was ready`)));
      child.on("message", (message: FromServer) => message.type === "ready" && resolve(message.url));
    });
    child.removeAllListeners("exit");
    return new ServerProcess(child, url);
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
      this.child.send({ type: "snapshot", id } satisfies ToServer);
    });
  }

  /** Closes the server gracefully; resolves to its counts after every connection closed (undefined if it had died). */
  async stop(): Promise<ServerReport | undefined> {
    if (this.child.exitCode !== null) return undefined;
    let last: ServerReport | undefined;
    this.child.on("message", (message: FromServer) => {
      if (message.type === "stopped") last = message.report;
    });
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    const force = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    if (this.child.connected) this.child.send({ type: "stop" } satisfies ToServer);
    else this.child.kill();
    await exited;
    clearTimeout(force);
    return last;
  }
}
