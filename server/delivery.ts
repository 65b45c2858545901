import type { Chat } from "./chat/chat.ts";
import { LongPolls, type LongPollOptions } from "./transports/long-poll.ts";
import { SocketHub, type SendText } from "./transports/socket-hub.ts";
import { SseStreams, type SseOptions } from "./transports/sse-streams.ts";
import type { WaitingClients } from "./transports/waiting-clients.ts";

export interface DeliveryOptions {
  sendText?: SendText;
  longPoll?: LongPollOptions;
  sse?: SseOptions;
}

/** The transports that hold clients open, each with its own `Set` of them. */
export interface Delivery {
  hub: SocketHub;
  longPolls: LongPolls;
  sseStreams: SseStreams;
  /** All three, for shutdown. */
  all: readonly WaitingClients[];
}

/**
 * The one place a stored message goes out: to every socket, every held long poll and every event stream. (Plain
 * and conditional polling need nothing: they ask `GET /messages` again.) A new history restarts them all.
 */
export function wireDelivery(chat: Chat, options: DeliveryOptions = {}): Delivery {
  const hub = new SocketHub(options.sendText);
  const longPolls = new LongPolls(chat, options.longPoll);
  const sseStreams = new SseStreams(chat, options.sse);
  const all: readonly WaitingClients[] = [hub, longPolls, sseStreams];
  chat.subscribe((message) => {
    for (const transport of all) transport.deliver(message);
  });
  chat.onNewEpoch(() => {
    for (const transport of all) transport.restart();
  });
  return { hub, longPolls, sseStreams, all };
}
