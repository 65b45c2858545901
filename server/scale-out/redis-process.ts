import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** How to get redis-server, for the messages of `npm run start:cluster` and the skipped tests. */
export const INSTALL_REDIS_HINT =
  "install it: `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)";

/** How long a starting redis-server may take to answer PING. */
const REDIS_START_TIMEOUT_MS = 10_000;

/** The redis-server on PATH, or undefined. */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "redis-server");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** True when something at host:port answers a Redis PING with PONG within `timeoutMs`. */
export function pingRedis(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let reply = "";
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/** A TCP port nobody listens on right now, on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when `port` can be listened on now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export interface RedisServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Keep an append-only file (fsync on every write) in the temp dir, so a killed and restarted server comes back
   * with its data, as a real deployment's would. Off by default: the demo's Redis keeps everything in memory.
   */
  persist?: boolean;
  redisServer?: string;
}

/**
 * A redis-server of our own: on the loopback, its files in a fresh temp dir (never in the repo), in its own
 * process group so a Ctrl+C in the terminal reaches only whoever started it, which stops it in order.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly binary: string,
    private readonly persist: boolean,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start({ port = 0, persist = false, redisServer = findRedisServer() }: RedisServerOptions = {}) {
    if (!redisServer) throw new Error(`redis-server was not found on PATH; ${INSTALL_REDIS_HINT}`);
    const dir = await mkdtemp(join(tmpdir(), "pvw-redis-"));
    const server = new RedisServer(port || (await freePort()), dir, redisServer, persist);
    try {
      await server.restart();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return server;
  }

  /** Starts the process again on the same port and dir (after `kill()`); with `persist`, its data comes back. */
  async restart(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", ""];
    args.push("--appendonly", this.persist ? "yes" : "no", "--appendfsync", "always", "--loglevel", "warning");
    const child = spawn(this.binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    this.child = child;
    const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
    while (!(await pingRedis(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.kill();
        throw new Error(`redis-server did not start on port ${this.port}: ${stderr.trim() || "no answer to PING"}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL, as a crash would: no goodbye to the clients. Resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }

  /** Stops the server and removes its temp dir. */
  async stop(): Promise<void> {
    if (this.child?.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    await this.exited;
    await rm(this.dir, { recursive: true, force: true });
  }
}
