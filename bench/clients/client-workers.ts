/**
 * Thousands of simulated clients spread over several Node processes, so the clients are not the bottleneck of a
 * 10,000-client run (bench --sweep): each process runs its slice with startNodeGroup (client-worker-entry.ts), the
 * same client modules as the bench's own process, and the group answers as one.
 */
import type { ChildProcess } from "node:child_process";
import type { ClientGroup, NodeGroupOptions } from "./client-group.ts";
import type { ToWorker } from "./client-worker-entry.ts";
import { forkReady } from "../processes/channel.ts";
import type { Receipt } from "../core/records.ts";
import { entryFile } from "../processes/entries.ts";

/** Up to this many clients run in the bench's own process; more are spread over worker processes. */
const IN_PROCESS_CLIENTS = 1000;
/**
 * Clients per worker process (10,000 clients: 2 processes, one per core here). Measured, 10,000 pollers at T = 5 s,
 * load average 8-13: over 4 processes the clients used 21.2 s of CPU and 8624 deliveries missed the drain; over 2,
 * 7.5 s and none. More processes than cores only add their overhead and take CPU from the server.
 */
const CLIENTS_PER_WORKER = 5000;
/** Connections all workers have opening at once: half of Node's default listen backlog (511), so none is dropped. */
const CONNECTING_AT_ONCE = 256;

export const workersFor = (clients: number) =>
  clients <= IN_PROCESS_CLIENTS ? 0 : Math.ceil(clients / CLIENTS_PER_WORKER);

const ENTRY = entryFile("clients/client-worker");

/** One worker process and the answers it owes. */
class Worker {
  private nextId = 0;
  private readonly waiting = new Map<number, (value: unknown) => void>();
  readonly warm: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    start: Extract<ToWorker, { type: "start" }>,
  ) {
    let warm!: () => void;
    this.warm = new Promise((resolve) => (warm = resolve));
    child.on("message", (message: { type: string; id?: number; value?: unknown }) => {
      if (message.type === "warm") warm();
      if (message.type !== "answer") return;
      this.waiting.get(message.id!)?.(message.value);
      this.waiting.delete(message.id!);
    });
    child.send(start);
  }

  ask<T>(
    command: { type: "ask"; what: "counts" | "receipts" | "cpu" | "stop" } | { type: "delivered"; expected: number },
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (value: unknown) => void);
      this.child.send({ ...command, id } as ToWorker);
    });
  }
}

/** `options.clients` clients over `workers` processes, each its slice started over the same spread. */
export function startWorkerGroup(
  options: NodeGroupOptions,
  workers: number,
): ClientGroup & { workers: number; delivered(expected: number): Promise<boolean>; cpuMicros(): Promise<number> } {
  const { mode, ...rest } = options;
  const started = Array.from({ length: workers }, async (_, k) => {
    const clients = Math.floor(options.clients / workers) + (k < options.clients % workers ? 1 : 0);
    const { child } = await forkReady(ENTRY);
    return new Worker(child, {
      type: "start",
      mode: mode.name,
      options: { ...rest, clients, maxConnecting: Math.floor(CONNECTING_AT_ONCE / workers) },
    });
  });
  const all = () => Promise.all(started);
  const each = async <T>(command: Parameters<Worker["ask"]>[0]) =>
    Promise.all((await all()).map((worker) => worker.ask<T>(command)));
  return {
    mode,
    clients: options.clients,
    where: "node",
    workers,
    ready: all()
      .then((list) => Promise.all(list.map((worker) => worker.warm)))
      .then(() => {}),
    async counts() {
      const counts = await each<{ requests: number; sockets: number; errors: number }>({ type: "ask", what: "counts" });
      const total = (key: "requests" | "sockets" | "errors") => counts.reduce((sum, c) => sum + c[key], 0);
      return { requests: total("requests"), sockets: total("sockets"), errors: total("errors") };
    },
    receipts: async () => (await each<Receipt[][]>({ type: "ask", what: "receipts" })).flat(),
    delivered: async (expected) => (await each<boolean>({ type: "delivered", expected })).every(Boolean),
    cpuMicros: async () => (await each<number>({ type: "ask", what: "cpu" })).reduce((a, b) => a + b, 0),
    async stop() {
      for (const worker of await all()) {
        if (!worker.child.connected) continue;
        await worker.ask({ type: "ask", what: "stop" });
        worker.child.disconnect();
      }
    },
  };
}
