import type { Message } from "../shared/protocol.ts";
import { NodeWebSocketClass, type BenchClient, type BenchMode } from "./modes.ts";
import { epochNow, parseText } from "./publisher.ts";

/** One receipt: message sequence number and when the client had it (ms, on the epoch-based high-resolution clock). */
export interface Receipt {
  seq: number;
  at: number;
}

/** N clients of one mode, wherever they run (this process, or browser tabs). */
export interface ClientGroup {
  mode: BenchMode;
  clients: number;
  where: "node" | "browser";
  /** Resolves when every client is connected and warm. */
  ready: Promise<void>;
  /** HTTP requests and WebSocket connections the clients themselves made, counted on the client side. */
  counts(): Promise<{ requests: number; sockets: number }>;
  /** Every bench message each client received, client by client. */
  receipts(): Promise<Receipt[][]>;
  stop(): Promise<void>;
}

export interface NodeGroupOptions {
  mode: BenchMode;
  clients: number;
  baseUrl: string;
  interval: number;
  nonce: string;
  /** Client starts are spread over this long (ms), so pollers poll at random phases and sockets do not stampede. */
  spreadMs: number;
}

/** Simulated clients in this process, each running the browser's client module with Node's fetch or `ws`. */
export function startNodeGroup(options: NodeGroupOptions): ClientGroup {
  const { mode, nonce } = options;
  let requests = 0;
  let sockets = 0;
  const countedFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const CountedWebSocket = class extends NodeWebSocketClass {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets++;
    }
  } as typeof WebSocket;

  const receipts: Receipt[][] = [];
  const running: BenchClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  const readies: Promise<void>[] = [];
  for (let i = 0; i < options.clients; i++) {
    const mine: Receipt[] = [];
    receipts.push(mine);
    readies.push(
      new Promise<void>((resolve) => {
        timers.push(
          setTimeout(() => {
            const client = mode.start({
              baseUrl: options.baseUrl,
              wsBaseUrl: options.baseUrl.replace(/^http/, "ws"),
              interval: options.interval,
              fetch: countedFetch,
              WebSocket: CountedWebSocket,
              receive(message: Message) {
                const seq = parseText(nonce, message.text);
                if (seq !== undefined) mine.push({ seq, at: epochNow() });
              },
            });
            running.push(client);
            client.ready.then(resolve);
          }, (i / options.clients) * options.spreadMs),
        );
      }),
    );
  }
  return {
    mode,
    clients: options.clients,
    where: "node",
    ready: Promise.all(readies).then(() => {}),
    counts: async () => ({ requests, sockets }),
    receipts: async () => receipts,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const client of running) client.stop();
    },
  };
}
