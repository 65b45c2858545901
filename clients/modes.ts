import { PATHS, type Message, type NewMessage } from "../shared/protocol.ts";
import { startConditionalPolling } from "./conditional-polling.ts";
import { startLongPolling } from "./long-polling.ts";
import { meteredEventSource, meteredFetch, meteredWebSocket, type TrafficMeter } from "./meter.ts";
import { startNaivePolling, startPolling } from "./polling.ts";
import { connect } from "./socket.ts";
import { listen } from "./sse.ts";

/** What a pane gives a transport: where to show messages, and the meter that counts its traffic. */
export interface ModeContext {
  meter: TrafficMeter;
  interval: number;
  show(messages: Message[]): void;
  status(text: string): void;
  error(text: string): void;
}

export interface RunningMode {
  send(message: NewMessage): Promise<void>;
  stop(): void;
}

export interface Mode {
  /** Short name, for the pane's mode picker. */
  name: string;
  title(interval: number): string;
  /** What the pane says about this transport, in one line. */
  blurb: string;
  start(context: ModeContext): RunningMode;
}

/** `POST /messages` through the pane's metered fetch, so sending is counted too. */
async function post(fetchImpl: typeof fetch, message: NewMessage, context: ModeContext): Promise<void> {
  const response = await fetchImpl(PATHS.messages, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  if (!response.ok) context.error(((await response.json()) as { error: string }).error);
}

/** A transport that receives its own way and sends with `POST /messages`; `receive` returns its stop function. */
function receiveAndPost(context: ModeContext, receive: (fetchImpl: typeof fetch) => () => void): RunningMode {
  const fetchImpl = meteredFetch(context.meter);
  const stop = receive(fetchImpl);
  return { send: (message) => post(fetchImpl, message, context), stop };
}

function pollingMode(start: typeof startPolling, name: string, blurb: string): Mode {
  return {
    name,
    title: (interval) => `${name} · every ${interval} ms`,
    blurb,
    start(context) {
      context.status(`setInterval(poll, ${context.interval})`);
      return receiveAndPost(context, (fetch) => start({ interval: context.interval, fetch, onMessages: context.show }));
    },
  };
}

export const MODES = {
  polling: pollingMode(
    startPolling,
    "Polling",
    "GET /messages?since=<last id> on a timer: asks again and again, mostly for nothing.",
  ),
  naive: pollingMode(
    startNaivePolling,
    "Naive polling",
    "The slides' loop: GET /messages, append them all, every time. Watch the messages repeat.",
  ),
  socket: {
    name: "WebSocket",
    title: () => "WebSocket",
    blurb: "One connection, kept open: the server pushes each message the moment it is stored.",
    start(context) {
      const socket = connect({
        WebSocket: meteredWebSocket(context.meter),
        onMessage: (message) => context.show([message]),
        onError: context.error,
        onStatus: (status) => context.status(status === "open" ? "connected" : "disconnected, reconnecting…"),
      });
      return {
        send: async (message) => socket.send(message),
        stop: () => socket.close(),
      };
    },
  },
  conditional: pollingMode(
    startConditionalPolling,
    "Conditional polling",
    "The same timer, with If-None-Match: while nothing changed the server answers 304 and no body. Fewer bytes, as many requests.",
  ),
  longpoll: {
    name: "Long polling",
    title: () => "Long polling",
    blurb: "GET /messages/wait: the server holds each request until a message arrives (or a time limit passes); then the client asks again.",
    start: (context) =>
      receiveAndPost(context, (fetch) =>
        startLongPolling({
          fetch,
          onMessages: context.show,
          onStatus: (status) => context.status(status === "waiting" ? "request held by the server…" : "server unreachable, retrying…"),
        }),
      ),
  },
  sse: {
    name: "Server-Sent Events",
    title: () => "Server-Sent Events",
    blurb: "GET /events: one response that never ends, one event per message. Server to browser only: sending is a POST.",
    start: (context) =>
      receiveAndPost(context, () =>
        listen({
          EventSource: meteredEventSource(context.meter),
          onMessage: (message) => context.show([message]),
          onStatus: (status) =>
            context.status(
              status === "open" ? "stream open" : status === "reconnecting" ? "stream broken, reconnecting with Last-Event-ID…" : "stream closed",
            ),
        }),
      ),
  },
} satisfies Record<string, Mode>;

export type ModeName = keyof typeof MODES;
