/**
 * `npm run start:cluster`: one Redis and two instances of the chat server, so a class can watch a message posted
 * on one instance reach clients of the other. Each instance is its own process, as behind a load balancer:
 * they share nothing but Redis.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PATHS } from "../../shared/protocol.ts";
import { findRedisServer, INSTALL_REDIS_HINT, isPortFree, pingRedis, RedisServer } from "./redis-process.ts";

const DEFAULT_PORTS = "8000,8001";
/** Redis's own default port: a teacher's `redis-cli monitor` finds it without flags. */
const REDIS_DEFAULT_PORT = 6379;
/** How long an instance may take to answer GET /health before the cluster gives up. */
const INSTANCE_START_TIMEOUT_MS = 30_000;

const { values } = parseArgs({
  options: {
    ports: { type: "string" },
    bot: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`npm run start:cluster [-- --ports ${DEFAULT_PORTS}] [--bot <messages per second>]

  --ports  the instances' ports, comma-separated (default ${DEFAULT_PORTS}: two instances)
  --bot    run the chat bot on the first instance at this many messages per second

  REDIS_URL=redis://host:port  use that Redis; otherwise one answering on 127.0.0.1:${REDIS_DEFAULT_PORT} is reused,
                               or a redis-server is started (in memory, files in a temp dir) and stopped on exit`);
  process.exit(0);
}

const ports = (values.ports ?? DEFAULT_PORTS).split(",").map((port) => Number(port.trim()));
if (ports.length < 1 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
  console.error(
    `error: --ports must be ports from 1 to 65535, comma-separated, like ${DEFAULT_PORTS}; got ${values.ports}`,
  );
  process.exit(2);
}

const instances = new Map<number, ChildProcess>();
let redis: RedisServer | undefined;
let stopping: Promise<void> | undefined;

/** Stops the instances first (they say goodbye to their clients), then the Redis started here; once, however often called. */
function stopAll(exitCode: number): Promise<never> {
  stopping ??= (async () => {
    await Promise.all(
      [...instances.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    await redis?.stop();
  })();
  return stopping.then(() => process.exit(exitCode));
}

// `on`, not `once`: npm and tsx both relay a signal, and a second one unheard would kill this script half-way.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));

async function chooseRedis(): Promise<{ url: string; origin: string }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, origin: "from REDIS_URL" };
  if (await pingRedis(REDIS_DEFAULT_PORT)) {
    return { url: `redis://127.0.0.1:${REDIS_DEFAULT_PORT}`, origin: "already running, reused" };
  }
  if (!findRedisServer()) {
    console.error(`error: start:cluster needs Redis, and redis-server was not found on PATH;\n  ${INSTALL_REDIS_HINT}`);
    process.exit(1);
  }
  const port = (await isPortFree(REDIS_DEFAULT_PORT)) ? REDIS_DEFAULT_PORT : 0;
  redis = await RedisServer.start({ port });
  return { url: redis.url, origin: `started here (pid ${redis.pid}, in memory, stopped on exit)` };
}

/** One instance: `server/node/node-main.ts` in a child process of its own, its output prefixed with its port. */
function startInstance(port: number, redisUrl: string, bot: string | undefined): ChildProcess {
  const main = fileURLToPath(new URL("../node/node-main.ts", import.meta.url));
  const args = ["--import", import.meta.resolve("tsx"), main, "--port", String(port)];
  if (bot) args.push("--bot", bot);
  // Its own process group: a Ctrl+C reaches only this script, which stops the instances in order.
  const child = spawn(process.execPath, args, {
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`[${port}] ${line}`));
  }
  child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(
      `error: the instance on port ${port} stopped (${signal ?? `exit code ${code}`}); stopping the cluster`,
    );
    void stopAll(1);
  });
  instances.set(port, child);
  return child;
}

async function waitUntilHealthy(port: number): Promise<void> {
  const deadline = Date.now() + INSTANCE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answered = await fetch(`http://127.0.0.1:${port}${PATHS.health}`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.error(
    `error: the instance on port ${port} did not answer ${PATHS.health} within ${INSTANCE_START_TIMEOUT_MS} ms`,
  );
  await stopAll(1);
}

let chosen: { url: string; origin: string };
try {
  chosen = await chooseRedis();
} catch (error) {
  console.error(`error: could not start redis-server: ${(error as Error).message}`);
  process.exit(1);
}
for (const [index, port] of ports.entries()) startInstance(port, chosen.url, index === 0 ? values.bot : undefined);
await Promise.all(ports.map(waitUntilHealthy));

const url = (port: number) => `http://localhost:${port}`;
const [first, second = first] = ports as [number, ...number[]];
console.log(`
Polling vs WebSockets: ${ports.length} instances share one chat through Redis.

  Redis               ${chosen.url} (${chosen.origin})
${ports.map((port, index) => `  Instance ${String.fromCharCode(65 + index)}          ${url(port)}/   health: ${url(port)}${PATHS.health}`).join("\n")}

  Open ${url(first)}/polling in one tab and ${url(second)}/socket in another, then post in either:
  the message is stored in Redis and published on its channel; every instance pushes it to its own sockets,
  and pollers of any instance find it on their next GET /messages?since=.

Ctrl+C stops the instances${redis ? " and the Redis started here" : ""}.`);
