/**
 * The transports the bench measures (`bench: true` in shared/transports.ts), by the same ids, as plug-ins. A mode
 * starts ONE simulated client by running the very client module the browser runs (clients/transports/*.ts), with
 * Node's `fetch` or the `ws` WebSocket injected in place of the browser's. Its page and whether it polls come from
 * the registry; adding a transport to the bench = one entry in STARTS, under its id:
 *
 *   "my-transport": {
 *     start: (ctx) => { const stop = startMyClient({ baseUrl: ctx.baseUrl, fetch: ctx.fetch, onMessage: ctx.receive });
 *                       return { ready: firstAnswer, stop } },
 *     predict: (input) => ({ requests: …, idleBytes: … }),   // optional: the model printed beside the measurement
 *   }
 */
import { EventSource } from "eventsource";
import { WebSocket as NodeWebSocket } from "ws";
import { startConditionalPolling } from "../../clients/transports/conditional-polling.ts";
import { startLongPolling } from "../../clients/transports/long-polling.ts";
import { startPolling } from "../../clients/transports/polling.ts";
import { connect } from "../../clients/transports/socket.ts";
import { listen } from "../../clients/transports/sse.ts";
import type { Message } from "../../shared/protocol.ts";
import { TRANSPORT_IDS, TRANSPORTS, type BenchId } from "../../shared/transports.ts";

/** What the runner hands a mode for each simulated client. */
export interface ClientContext {
  /** `http://127.0.0.1:<port>` of the server under test. */
  baseUrl: string;
  /** `ws://127.0.0.1:<port>`. */
  wsBaseUrl: string;
  /** Poll interval T in ms (modes that do not poll ignore it). */
  interval: number;
  /** Node's fetch, counted by the runner (so "requests = polls made" can be checked). Use it, not globalThis.fetch. */
  fetch: typeof fetch;
  /** The `ws` WebSocket class, counted by the runner. Use it, not globalThis.WebSocket (Node 20 has none). */
  WebSocket: typeof WebSocket;
  /** Call once per message the client module hands on (what a pane's show() would get). */
  receive(message: Message): void;
}

/** One running simulated client. */
export interface BenchClient {
  /** Resolves when the client is connected and has had its first answer (warm). */
  ready: Promise<void>;
  stop(): void;
}

/** What the model needs to predict a mode's cost. */
export interface ModelInput {
  clients: number;
  interval: number;
  /** Length of the measured window, ms. */
  windowMs: number;
  /** Measured: one round trip of an HTTP request on a warm connection, ms. */
  rttMs: number;
  /** Measured: bytes of one empty exchange on the wire (request + response with headers). */
  emptyExchangeBytes: number;
}

/** The model's prediction; a figure left out is not predicted. */
export interface Prediction {
  /** Mean delivery latency, ms. */
  latencyMeanMs?: number;
  /** HTTP requests during the window. */
  requests?: number;
  /** Bytes on the wire (both directions) during a window in which nothing is published. */
  idleBytes?: number;
}

/** What a transport brings to the bench: how to start one client, and the model of its cost if it has one. */
interface BenchStart {
  /** Its connections are WebSockets: a browser pane's request counter then counts upgrades, i.e. sockets. */
  socket?: boolean;
  start(context: ClientContext): BenchClient;
  predict?(input: ModelInput): Prediction;
}

export interface BenchMode extends BenchStart {
  /** Its id in shared/transports.ts: what `--modes` takes and the report's rows say; or a rival's (bench/clients/socketio-mode.ts). */
  name: BenchId | "socket.io";
  /** True if the cost depends on the poll interval (a sweep runs it once per interval, else once per client count). */
  usesInterval: boolean;
  /** The page a real browser tab loads for this mode (`--browser`). */
  page(interval: number): string;
}

/** The promise of a first call, and the function to make it. */
function firstCall(): { promise: Promise<void>; done: () => void } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
}

/** For a client that asks (a poller, a long poller): each answer's messages go to the runner; the first makes it warm. */
function answersReceived(context: ClientContext): { ready: Promise<void>; onMessages: (messages: Message[]) => void } {
  const first = firstCall();
  const onMessages = (messages: Message[]) => {
    first.done();
    for (const message of messages) context.receive(message);
  };
  return { ready: first.promise, onMessages };
}

/** A timer poller (plain or conditional). */
function pollingClient(start: typeof startPolling, context: ClientContext): BenchClient {
  const { ready, onMessages } = answersReceived(context);
  const stop = start({ baseUrl: context.baseUrl, interval: context.interval, fetch: context.fetch, onMessages });
  return { ready, stop };
}

/**
 * A message lands at a random phase of the interval: it waits T/2 on average for the next poll, plus the poll's
 * round trip. Each client asks once per T, whether or not the answer is a 304.
 */
const predictPolls = ({ clients, interval, windowMs, rttMs }: ModelInput) => ({
  latencyMeanMs: interval / 2 + rttMs,
  requests: (clients * windowMs) / interval,
});

/** GET /messages?since=<last id> every T ms. */
const polling: BenchStart = {
  start: (context) => pollingClient(startPolling, context),
  // With nothing new each ask costs one empty exchange.
  predict: (input) => {
    const { latencyMeanMs, requests } = predictPolls(input);
    return { latencyMeanMs, requests, idleBytes: requests * input.emptyExchangeBytes };
  },
};

/** The same loop with If-None-Match: 304 and no body while nothing changed. */
const conditional: BenchStart = {
  start: (context) => pollingClient(startConditionalPolling, context),
  // Idle bytes are left out: the calibrated empty exchange is a 200 with [], not a 304.
  predict: predictPolls,
};

/** GET /messages/wait?since=<last id>, held by the server until a message arrives. */
const longpoll: BenchStart = {
  start(context) {
    const { ready, onMessages } = answersReceived(context);
    const stop = startLongPolling({ baseUrl: context.baseUrl, fetch: context.fetch, onMessages });
    return { ready, stop };
  },
  // No model: how many requests a window takes depends on how often messages land while a client is re-asking.
};

/** Node 20 has no EventSource: the `eventsource` package's, on the runner's counted fetch (one per (re)connection). */
export function nodeEventSource(fetchImpl: typeof fetch) {
  return class extends EventSource {
    constructor(url: string) {
      super(url, { fetch: fetchImpl });
    }
  };
}

/** One GET /events stream per client; the server writes each message into it. */
const sse: BenchStart = {
  start(context) {
    const first = firstCall();
    const stop = listen({
      baseUrl: context.baseUrl,
      EventSource: nodeEventSource(context.fetch),
      onMessage: context.receive,
      onStatus: (status) => status === "open" && first.done(),
    });
    return { ready: first.promise, stop };
  },
  // After the stream opens nothing is asked again: no requests in the window (keep-alive lines come every
  // SSE_KEEP_ALIVE_MS, longer than the bench's idle window, but are not modelled).
  predict: () => ({ requests: 0 }),
};

/** One WebSocket per client; the server pushes each message. */
const socket: BenchStart = {
  socket: true,
  start(context) {
    const first = firstCall();
    const client = connect({
      baseUrl: context.wsBaseUrl,
      WebSocket: context.WebSocket,
      onMessage: context.receive,
      onStatus: (status) => status === "open" && first.done(),
    });
    return { ready: first.promise, stop: () => client.close() };
  },
  // After the upgrade nothing crosses the wire unless there is a message: no requests, no idle bytes.
  predict: () => ({ requests: 0, idleBytes: 0 }),
};

const STARTS = { polling, socket, conditional, longpoll, sse } satisfies Record<BenchId, BenchStart>;

/** The bench's modes, in the registry's order: a transport's start, with its id, page and polling from the registry. */
export const BENCH_MODES = Object.fromEntries(
  TRANSPORT_IDS.filter((id): id is BenchId => TRANSPORTS[id].bench).map((id) => {
    const { page, polls } = TRANSPORTS[id];
    const mode: BenchMode = {
      ...STARTS[id],
      name: id,
      usesInterval: polls,
      page: (T) => (polls ? `${page}?interval=${T}` : page),
    };
    return [id, mode];
  }),
) as Record<BenchId, BenchMode>;

/** The `ws` class typed as the DOM WebSocket the client modules expect. */
export const NodeWebSocketClass = NodeWebSocket as unknown as typeof WebSocket;

export function findModes(names: string[]): BenchMode[] {
  return names.map((name) => {
    if (!Object.hasOwn(BENCH_MODES, name))
      throw new Error(`unknown mode "${name}"; known: ${Object.keys(BENCH_MODES).join(", ")}`);
    return BENCH_MODES[name as BenchId];
  });
}
