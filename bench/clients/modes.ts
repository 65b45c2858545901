/**
 * The transports the bench measures (`bench: true` in shared/transports.ts), by the same ids, as plug-ins. A mode
 * starts ONE simulated client by running the very client module the browser runs (clients/transports/*.ts), with
 * Node's `fetch` or the `ws` WebSocket injected in place of the browser's. Its page and whether it polls come from
 * the registry; adding a transport to the bench = one entry in STARTS, under its id:
 *
 *   "my-transport": {
 *     start: (ctx) => { const stop = startMyClient({ baseUrl: ctx.baseUrl, fetch: ctx.fetch, onMessage: ctx.receive });
 *                       return { ready: firstAnswer, stop } },
 *   }
 *
 * and, if it has one, its cost model in analysis/models.ts (printed beside the measurement).
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
import type { ModeName, ModeRecord } from "../core/records.ts";

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

/** What a transport brings to the bench: how to start one client. */
interface BenchStart {
  /** Its connections are WebSockets: a browser pane's request counter then counts upgrades, i.e. sockets. */
  socket?: boolean;
  start(context: ClientContext): BenchClient;
}

export interface BenchMode extends BenchStart {
  /** Its id in shared/transports.ts: what `--modes` takes and the report's rows say; or a rival's (bench/clients/socketio-mode.ts). */
  name: ModeName;
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

/** GET /messages?since=<last id> every T ms. */
const polling: BenchStart = {
  start: (context) => pollingClient(startPolling, context),
};

/** The same loop with If-None-Match: 304 and no body while nothing changed. */
const conditional: BenchStart = {
  start: (context) => pollingClient(startConditionalPolling, context),
};

/** GET /messages/wait?since=<last id>, held by the server until a message arrives. */
const longpoll: BenchStart = {
  start(context) {
    const { ready, onMessages } = answersReceived(context);
    const stop = startLongPolling({ baseUrl: context.baseUrl, fetch: context.fetch, onMessages });
    return { ready, stop };
  },
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

/** A mode as the records keep it: plain data, no function (core/records.ts). */
export const modeRecord = ({ name, usesInterval, socket }: BenchMode): ModeRecord => ({
  name,
  usesInterval,
  socket: socket ?? false,
});

/** The `ws` class typed as the DOM WebSocket the client modules expect. */
export const NodeWebSocketClass = NodeWebSocket as unknown as typeof WebSocket;

export function findModes(names: string[]): BenchMode[] {
  return names.map((name) => {
    if (!Object.hasOwn(BENCH_MODES, name))
      throw new Error(`unknown mode "${name}"; known: ${Object.keys(BENCH_MODES).join(", ")}`);
    return BENCH_MODES[name as BenchId];
  });
}
