import { PATHS, type Message, type NewMessage } from "../../../shared/protocol.ts";
import type { TransportId } from "../../../shared/transports.ts";
import { startConditionalPolling } from "../../transports/conditional-polling.ts";
import { startLongPolling } from "../../transports/long-polling.ts";
import { startNaivePolling, startPolling } from "../../transports/polling.ts";
import { connect, naiveConnect } from "../../transports/socket.ts";
import { listen } from "../../transports/sse.ts";
import { type Problem, refusal } from "../ui/errors.ts";
import type { StringKey, Vars } from "../ui/i18n.ts";
import { meteredEventSource, meteredFetch, meteredWebSocket, type TrafficMeter } from "./meter.ts";

/** What a pane gives a transport: where to show messages, and the meter that counts its traffic. */
export interface ModeContext {
  meter: TrafficMeter;
  interval: number;
  show(messages: Message[]): void;
  /** The server's history started again (clients/transports/epoch.ts): ids start again, so forget the ones seen. */
  newHistory(): void;
  /** The pane's status line: a key of clients/page/ui/i18n.ts, so it follows the language switch. */
  status(key: StringKey, vars?: Vars): void;
  /** The server refused what the pane sent: its code, worded by the pane in the reader's language. */
  error(problem: Problem): void;
}

export interface RunningMode {
  send(message: NewMessage): Promise<void>;
  stop(): void;
}

/** A transport as a pane runs it. Its name, title and blurb are words: clients/page/ui/i18n.ts, `transport.<id>.*`. */
interface Mode {
  start(context: ModeContext): RunningMode;
}

/** `POST /messages` through the pane's metered fetch, so sending is counted too. */
async function post(fetchImpl: typeof fetch, message: NewMessage, context: ModeContext): Promise<void> {
  const response = await fetchImpl(PATHS.messages, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  if (!response.ok) context.error(await refusal(response));
}

/** A transport that receives its own way and sends with `POST /messages`; `receive` returns its stop function. */
function receiveAndPost(context: ModeContext, receive: (fetchImpl: typeof fetch) => () => void): RunningMode {
  const fetchImpl = meteredFetch(context.meter);
  const stop = receive(fetchImpl);
  return { send: (message) => post(fetchImpl, message, context), stop };
}

function pollingMode(start: typeof startPolling): Mode {
  return {
    start(context) {
      context.status("status.polling", { interval: context.interval });
      return receiveAndPost(context, (fetch) =>
        start({ interval: context.interval, fetch, onMessages: context.show, onEpoch: context.newHistory }),
      );
    },
  };
}

/** A socket sends on itself; `closed` is the status its client reports when the link drops. */
function socketMode(open: typeof connect, closed: StringKey): Mode {
  return {
    start(context) {
      const socket = open({
        WebSocket: meteredWebSocket(context.meter),
        onMessage: (message) => context.show([message]),
        onEpoch: context.newHistory,
        onError: context.error,
        onStatus: (status) => context.status(status === "open" ? "status.socket.open" : closed),
      });
      return {
        send: async (message) => socket.send(message),
        stop: () => socket.close(),
      };
    },
  };
}

/** Every transport of shared/transports.ts, as a pane runs it. */
export const MODES = {
  polling: pollingMode(startPolling),
  naive: pollingMode(startNaivePolling),
  socket: socketMode(connect, "status.socket.reconnecting"),
  "naive-socket": socketMode(naiveConnect, "status.naive-socket.closed"),
  conditional: pollingMode(startConditionalPolling),
  longpoll: {
    start: (context) =>
      receiveAndPost(context, (fetch) =>
        startLongPolling({
          fetch,
          onMessages: context.show,
          onEpoch: context.newHistory,
          onStatus: (status) =>
            context.status(status === "waiting" ? "status.longpoll.waiting" : "status.longpoll.retrying"),
        }),
      ),
  },
  sse: {
    start: (context) =>
      receiveAndPost(context, () =>
        listen({
          EventSource: meteredEventSource(context.meter),
          onMessage: (message) => context.show([message]),
          onEpoch: context.newHistory,
          onStatus: (status) => context.status(`status.sse.${status}`),
        }),
      ),
  },
} satisfies Record<TransportId, Mode>;
