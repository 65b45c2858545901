/**
 * How the bench talks to a process of its own, off the measured port: the messages a server process and the bench
 * exchange (the same for every server entry), the channel they travel on, and forking a TypeScript entry until it
 * says it is ready. The child side is servers/server-ipc.ts.
 */
import { fork, type ChildProcess } from "node:child_process";
import { basename, resolve } from "node:path";
import type { SecurePort, ServerReport } from "../core/records.ts";

/**
 * What a server that cannot count its bytes may leave out of its report: Deno.serve shows no TCP socket (the Deno
 * rival, servers/deno-server-entry.ts); servers/server-process.ts marks them as not measured.
 */
export type ByteCounts = "connections" | "bytesRead" | "bytesWritten" | "paneReadings";
/** A report as a server sends it: with its byte counts, or without them. */
export type SentReport = Omit<ServerReport, ByteCounts> & Partial<Pick<ServerReport, ByteCounts>>;

export type ToServer = { type: "snapshot"; id: number } | { type: "stop" };
export type FromServer =
  | { type: "ready"; url: string; secure?: SecurePort }
  | { type: "snapshot"; id: number; report: SentReport }
  | { type: "stopped"; report: SentReport };

/**
 * How the bench talks to a server process, off the measured port: Node's IPC channel (forkReady), or JSON lines on a
 * Deno process's stdin and stdout (servers/deno-process.ts).
 */
export interface ServerChannel {
  send(command: ToServer): void;
  onMessage(listener: (message: FromServer) => void): void;
  /** Whether a command can still reach the process (if not, stop() ends it by a signal). */
  readonly open: boolean;
}

export const ipcOf = (child: ChildProcess): ServerChannel => ({
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
 * BENCH_CPU_PROF=<dir>: every process the bench forks (our server, the floor, Socket.IO, the probe) writes V8 CPU
 * profiles when it exits, into a folder of its own named after its entry, in the order forked (1-server-entry/). tsx's
 * loader thread writes one too: the main thread's is the one with thread id 0 (CPU.<date>.<time>.<pid>.0.<n>.cpuprofile).
 * scripts/cpu-profile-top.ts prints its top frames: what docs/bench-rivals.md's profiles come from.
 */
function cpuProfileArgs(file: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(dir, `${++forked}-${basename(file, ".ts")}`)}`] : [];
}
let forked = 0;

/**
 * Forks a TypeScript entry (through tsx) with an IPC channel, and resolves once it says `{ type: "ready", url }`:
 * the one way the bench forks a process of its own (server entries, probes/machine-probe-entry.ts); the file is
 * named by entryFile() (entries.ts).
 */
export async function forkReady(
  file: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; secure?: SecurePort }> {
  const child = fork(file, [], {
    execArgv: ["--import", "tsx", ...cpuProfileArgs(file)],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...env },
  });
  return { child, ...(await readyOn(child, ipcOf(child), file)) };
}
