import type { Message } from "../../shared/protocol.ts";
import { NodeWebSocketClass, type BenchClient, type BenchMode } from "./modes.ts";
import { epochNow, parseText } from "./publisher.ts";
import { tlsFetch, type TlsFetch } from "./tls-client.ts";
import type { Receipt, TlsProtocol } from "../core/records.ts";

/** Whether every client has every one of `expected` messages (cheap test first: it runs every 50 ms while draining). */
export function allReceived(receipts: Receipt[][], expected: number): boolean {
  return receipts.every((mine) => mine.length >= expected && new Set(mine.map((r) => r.seq)).size >= expected);
}

/** N clients of one mode, wherever they run (this process, worker processes, or browser tabs). */
export interface ClientGroup {
  mode: BenchMode;
  clients: number;
  where: "node" | "browser";
  /** Resolves when every client is connected and warm. */
  ready: Promise<void>;
  /** HTTP requests and WebSocket connections the clients themselves made, counted on the client side. */
  counts(): Promise<{ requests: number; sockets: number; errors: number }>;
  /** Every bench message each client received, client by client. */
  receipts(): Promise<Receipt[][]>;
  /** Clients in worker processes (client-workers.ts): how many processes, whether all have `expected` messages
   * (answered where the receipts are, instead of shipping them all every 50 ms), and the processes' CPU, µs. */
  workers?: number;
  delivered?(expected: number): Promise<boolean>;
  cpuMicros?(): Promise<number>;
  stop(): Promise<void>;
}

export interface NodeGroupOptions {
  mode: BenchMode;
  clients: number;
  baseUrl: string;
  /** Several instances (bench --instances): client i connects to baseUrls[i % n] instead. */
  baseUrls?: string[];
  interval: number;
  nonce: string;
  /** Client starts are spread over this long (ms), so pollers poll at random phases and sockets do not stampede. */
  spreadMs: number;
  /** Over TLS (bench --http2): each client its own connection speaking this protocol, trusting the server's `ca`. */
  tls?: { protocol: TlsProtocol; ca: string };
  /**
   * At most this many clients connecting at once (started, not yet warm); the next waits for one to be warm. Keeps
   * thousands of connects inside the server's listen backlog (Node's default 511): an overflow drops the SYN and the
   * client waits a second or more for TCP to retry. Default: no bound.
   */
  maxConnecting?: number;
}

/** Where client (or tab) `i` connects: with several instances (bench --instances), round robin over them. */
export const baseUrlFor = (i: number, where: { baseUrl: string; baseUrls?: string[] }) =>
  where.baseUrls?.[i % where.baseUrls.length] ?? where.baseUrl;

/** Simulated clients in this process, each running the browser's client module with Node's fetch or `ws`. */
export function startNodeGroup(options: NodeGroupOptions): ClientGroup {
  const { mode, nonce } = options;
  let requests = 0;
  let sockets = 0;
  let errors = 0;
  // Counted here because the client modules swallow failures (the next tick retries): a failed or non-2xx request
  // is an error the bench must report.
  const counted =
    (inner: typeof fetch): typeof fetch =>
    async (input, init) => {
      requests++;
      try {
        const response = await inner(input, init);
        if (!response.ok && response.status !== 304) errors++;
        return response;
      } catch (error) {
        errors++;
        throw error;
      }
    };
  const tls = options.tls;
  const CountedWebSocket = class extends (NodeWebSocketClass as unknown as new (...args: unknown[]) => WebSocket) {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, tls && { ca: tls.ca });
      sockets++;
    }
  } as typeof WebSocket;

  const receipts: Receipt[][] = [];
  const running: BenchClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  const agents: TlsFetch[] = [];
  const readies: Promise<void>[] = [];
  let connecting = 0;
  const waiting: (() => void)[] = [];
  const admit = (start: () => void) => {
    if (connecting < (options.maxConnecting ?? Infinity)) {
      connecting++;
      start();
    } else waiting.push(start);
  };
  const warm = () => {
    connecting--;
    const next = waiting.shift();
    if (next) admit(next);
  };
  for (let i = 0; i < options.clients; i++) {
    const mine: Receipt[] = [];
    receipts.push(mine);
    const baseUrl = baseUrlFor(i, options);
    readies.push(
      new Promise<void>((resolve) => {
        timers.push(
          setTimeout(
            () =>
              admit(() => {
                const client = mode.start({
                  baseUrl,
                  wsBaseUrl: baseUrl.replace(/^http/, "ws"),
                  interval: options.interval,
                  fetch: counted(tls ? agents[agents.push(tlsFetch(tls.protocol, tls.ca)) - 1]!.fetch : fetch),
                  WebSocket: CountedWebSocket,
                  receive(message: Message) {
                    const seq = parseText(nonce, message.text);
                    if (seq !== undefined) mine.push({ seq, at: epochNow() });
                  },
                });
                running.push(client);
                client.ready.then(() => {
                  warm();
                  resolve();
                });
              }),
            (i / options.clients) * options.spreadMs,
          ),
        );
      }),
    );
  }
  return {
    mode,
    clients: options.clients,
    where: "node",
    ready: Promise.all(readies).then(() => {}),
    counts: async () => ({ requests, sockets, errors }),
    receipts: async () => receipts,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const client of running) client.stop();
      await Promise.all(agents.splice(0).map((agent) => agent.close().catch(() => {})));
    },
  };
}
