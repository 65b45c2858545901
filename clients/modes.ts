import { PATHS, type Message, type NewMessage } from "../shared/protocol.ts";
import { meteredFetch, meteredWebSocket, type TrafficMeter } from "./meter.ts";
import { startNaivePolling, startPolling } from "./polling.ts";
import { connect } from "./socket.ts";

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

function pollingMode(start: typeof startPolling, blurb: string, naive = false): Mode {
  return {
    title: (interval) => `${naive ? "Naive polling" : "Polling"} · every ${interval} ms`,
    blurb,
    start(context) {
      const fetchImpl = meteredFetch(context.meter);
      const stop = start({ interval: context.interval, fetch: fetchImpl, onMessages: context.show });
      context.status(`setInterval(poll, ${context.interval})`);
      return { send: (message) => post(fetchImpl, message, context), stop };
    },
  };
}

export const MODES = {
  polling: pollingMode(startPolling, "GET /messages?since=<last id> on a timer: asks again and again, mostly for nothing."),
  naive: pollingMode(
    startNaivePolling,
    "The slides' loop: GET /messages, append them all, every time. Watch the messages repeat.",
    true,
  ),
  socket: {
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
} satisfies Record<string, Mode>;

export type ModeName = keyof typeof MODES;
