/**
 * The bench's side of the Deno rival: starts rivals/deno-server-entry.ts with the `deno` binary and `npm run
 * start:deno`'s permissions, and speaks the bench's contract (server-process.ts) with it as JSON lines on its stdin
 * and stdout: Deno has no Node IPC channel, and the measured port carries nothing but the clients' traffic.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { readyOn, type FromServer, type ServerChannel } from "../processes/channel.ts";
import { denoBinary, ROOT, startDenoArgs } from "./deno-binary.ts";
import { entryFile } from "../processes/entries.ts";

const ENTRY = entryFile("servers/deno-server");

/** Commands as lines on the child's stdin; its stdout's lines are its messages (anything else it prints goes to stderr). */
function linesOf(child: ChildProcess): ServerChannel {
  const listeners: ((message: FromServer) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let message: FromServer;
    try {
      message = JSON.parse(line);
    } catch {
      return void process.stderr.write(`${line}\n`);
    }
    for (const listener of listeners) listener(message);
  });
  return {
    send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
    onMessage: (listener) => void listeners.push(listener),
    get open() {
      return child.exitCode === null && child.signalCode === null && child.stdin!.writable;
    },
  };
}

/** Starts the Deno rival and resolves once it listens. */
export async function startDenoProcess(): Promise<{ child: ChildProcess; channel: ServerChannel; url: string }> {
  const child = spawn(denoBinary(), startDenoArgs(ENTRY), { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const channel = linesOf(child);
  const { url } = await readyOn(child, channel, `deno ${ENTRY}`);
  return { child, channel, url };
}
