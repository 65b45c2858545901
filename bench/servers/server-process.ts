import type { ChildProcess } from "node:child_process";
import type { BenchId } from "../../shared/transports.ts";
import type { ModeName, SecurePort, ServerKind, ServerReport } from "../core/records.ts";
import { type ByteCounts, forkReady, ipcOf, type SentReport, type ServerChannel } from "../processes/channel.ts";
import { entryFile } from "../processes/entries.ts";
import { startDenoProcess } from "./deno-process.ts";

/**
 * What a server that cannot count its bytes leaves out of its report: Deno.serve shows no TCP socket (the Deno rival,
 * servers/deno-server-entry.ts). The bench reads them as not measured (NaN: "–" in the tables), never as 0.
 */
const UNCOUNTED_BYTES = {
  connections: NaN,
  bytesRead: NaN,
  bytesWritten: NaN,
  paneReadings: { requests: NaN, bytesIn: NaN, bytesOut: NaN },
} satisfies Record<ByteCounts, unknown>;

/** The Node entries, forked; Deno's is started by deno-process.ts. */
const ENTRIES: Record<Exclude<ServerKind, "deno">, string> = {
  app: "servers/server",
  floor: "servers/floor-server",
  socketio: "servers/socketio-server",
};

/** The bench modes the floor server speaks: plain polling and WebSocket (no ETag, long polls, event streams, pages). */
export const FLOOR_MODES: readonly BenchId[] = ["polling", "socket"];

/** Whether the floor server can serve these client groups: only modes it speaks, simulated clients (it serves no pages). */
export const floorServes = (groups: readonly { mode: { name: ModeName }; where?: "node" | "browser" }[]) =>
  groups.every((g) => (FLOOR_MODES as readonly ModeName[]).includes(g.mode.name) && g.where !== "browser");

export interface StartOptions {
  /** Which server to fork (default `app`). */
  entry?: ServerKind;
  /** REDIS_URL and BENCH_NAMESPACE make the app one instance of a chat shared through Redis (bench/servers/cluster.ts). */
  env?: NodeJS.ProcessEnv;
  /** Also serve over TLS (HTTP/2 and HTTP/1.1), for bench --http2. */
  tls?: boolean;
}

/**
 * A graceful stop that has not ended by then is a hung one: SIGKILL, and the run has no closing counts. The server's
 * own deadlines are a few seconds (server/limits/connection-limits.ts); a busy machine stretches them, and a kill at
 * 5 s would leave a test reading closing counts that were never sent (not seen yet; a ceiling load can reach).
 */
const STOP_DEADLINE_MS = 30_000;

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
    const { child, url, secure } = await forkReady(entryFile(ENTRIES[entry]), tls ? { ...env, BENCH_TLS: "1" } : env);
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
    const force = setTimeout(() => this.child.kill("SIGKILL"), STOP_DEADLINE_MS);
    if (this.channel.open) this.channel.send({ type: "stop" });
    else this.child.kill();
    await exited;
    clearTimeout(force);
    return last;
  }
}
