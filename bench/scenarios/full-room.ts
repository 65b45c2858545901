/**
 * The room full at its real caps (issue 23): `npm start` as the teacher runs it (server/node/node-main.ts, its own
 * process, MAX_OPEN_CONNECTIONS and MAX_CONNECTIONS_PER_ADDRESS as they are), every slot taken by idle connections
 * from a few hostile addresses, and then a newcomer from another address and the teacher's `POST /class/new-chat`
 * from the server's own machine: both must be answered. `npm run load` runs it after the load.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { MAX_OPEN_CONNECTIONS } from "../../server/limits/connection-limits.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
/** The hostile addresses: 127.0.5.1, 127.0.5.2… (all this machine), each under the per-address cap. */
const FULL_ROOM_ADDRESSES = 5;
const START_TIMEOUT_MS = 60_000;

export interface FullRoomResult {
  /** Idle connections the hostile addresses opened, and how many of them the server still held at the end (fewer:
   * the room was full; none refused and the case proves nothing, so it fails). */
  opened: number;
  held: number;
  /** Statuses of GET /messages from a newcomer's address, and of the teacher's POST /class/new-chat. */
  newcomer: number | string;
  teacher: number | string;
  ms: number;
  ok: boolean;
}

/** `npm start -- --memory --port 0 --host 127.0.0.1`, resolved once it listens; its port and a stop. */
async function startRoom(): Promise<{ port: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    ["--import", TSX, "server/node/node-main.ts", "--memory", "--port", "0", "--host", "127.0.0.1"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, REDIS_URL: "", DATA_DIR: "" } },
  );
  let text = "";
  child.stderr!.on("data", (chunk) => (text += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen in time:\n${text}`)), START_TIMEOUT_MS);
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      const match = /http:\/\/localhost:(\d+)\//.exec(text);
      if (match && text.includes("Ctrl+C stops the server")) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${text}`)));
  });
  return { port, stop: () => child.kill("SIGKILL") };
}

/** One HTTP request on a connection of its own, from `localAddress`: its status, or the error's code. */
function ask(port: number, localAddress: string, method: string, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const headers = { "content-type": "application/json" };
    const req = request({ port, host: "127.0.0.1", localAddress, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.setTimeout(15_000, () => req.destroy(new Error("no answer in 15 s")));
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(method === "POST" ? "{}" : undefined);
  });
}

/** Opens `n` idle connections from `localAddress`, a batch at a time (a burst of 10,000 overflows the backlog). */
async function openIdle(port: number, n: number, localAddress: string, into: Socket[]): Promise<void> {
  for (let start = 0; start < n; start += 500) {
    const batch = Array.from(
      { length: Math.min(500, n - start) },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect({ port, host: "127.0.0.1", localAddress }, () => resolve());
          socket.on("error", () => resolve()); // refused or reset: counted as not held
          into.push(socket);
        }),
    );
    await Promise.all(batch);
  }
}

/** Fills the room past MAX_OPEN_CONNECTIONS from FULL_ROOM_ADDRESSES addresses, then asks as a newcomer and the teacher. */
export async function runFullRoom(onPhase: (phase: string) => void = () => {}): Promise<FullRoomResult> {
  const started = Date.now();
  const room = await startRoom();
  const sockets: Socket[] = [];
  try {
    const each = Math.ceil((MAX_OPEN_CONNECTIONS + 100) / FULL_ROOM_ADDRESSES);
    onPhase(`full room: ${each * FULL_ROOM_ADDRESSES} idle connections from ${FULL_ROOM_ADDRESSES} addresses`);
    for (let i = 1; i <= FULL_ROOM_ADDRESSES; i++) await openIdle(room.port, each, `127.0.5.${i}`, sockets);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for the server to refuse what it refuses
    onPhase("full room: a newcomer and the teacher");
    const [newcomer, teacher] = await Promise.all([
      ask(room.port, "127.0.5.99", "GET", "/messages"),
      ask(room.port, "127.0.0.1", "POST", "/class/new-chat"),
    ]);
    const held = sockets.filter((socket) => !socket.destroyed && !socket.readableEnded).length;
    return {
      opened: sockets.length,
      held,
      newcomer,
      teacher,
      ms: Date.now() - started,
      ok: newcomer === 200 && teacher === 200 && held < sockets.length,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    room.stop();
  }
}
