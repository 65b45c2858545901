import { EventSource } from "eventsource";
import { expect } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { startConditionalPolling } from "../../clients/transports/conditional-polling.ts";
import { startLongPolling } from "../../clients/transports/long-polling.ts";
import { startPolling } from "../../clients/transports/polling.ts";
import { connect } from "../../clients/transports/socket.ts";
import { listen } from "../../clients/transports/sse.ts";
import type { Message } from "../../shared/protocol.ts";
import { waitFor } from "./wait.ts";

/** What one client module (as the browser runs it, here in Node) handed on, the epochs it heard, and how to stop it. */
export interface ChatClient {
  name: string;
  received: Message[];
  epochs: string[];
  stop(): void;
}

type Start = (baseUrl: string, on: { messages(m: Message[]): void; epoch(e: string): void }) => () => void;

const STARTS: Record<string, Start> = {
  polling: (baseUrl, on) => startPolling({ baseUrl, interval: 50, onMessages: on.messages, onEpoch: on.epoch }),
  conditional: (baseUrl, on) =>
    startConditionalPolling({ baseUrl, interval: 50, onMessages: on.messages, onEpoch: on.epoch }),
  "long poll": (baseUrl, on) => startLongPolling({ baseUrl, onMessages: on.messages, onEpoch: on.epoch }),
  "event stream": (baseUrl, on) =>
    listen({ baseUrl, EventSource, onMessage: (m) => on.messages([m]), onEpoch: on.epoch }),
  socket: (baseUrl, on) => {
    const client = connect({
      baseUrl: baseUrl.replace(/^http/, "ws"),
      WebSocket: WsWebSocket as unknown as typeof WebSocket,
      onMessage: (m) => on.messages([m]),
      onEpoch: on.epoch,
    });
    return () => client.close();
  },
};

/** A client of a kind ("polling", "conditional", "long poll", "event stream", "socket") on the server at `baseUrl`. */
export function chatClient(kind: keyof typeof STARTS, baseUrl: string, name = kind): ChatClient {
  const received: Message[] = [];
  const epochs: string[] = [];
  const stop = STARTS[kind]!(baseUrl, { messages: (m) => received.push(...m), epoch: (e) => epochs.push(e) });
  return { name, received, epochs, stop };
}

/** The five clients of clients/transports/, each the way the page runs it. */
export const fiveClients = (baseUrl: string): ChatClient[] =>
  Object.keys(STARTS).map((kind) => chatClient(kind, baseUrl));

/** Waits until `client` has every message in `texts`, then expects each exactly once. */
export async function expectEachOnce(client: ChatClient, texts: string[], timeoutMs = 20_000): Promise<void> {
  await waitFor(() => texts.every((text) => client.received.some((m) => m.text === text)), {
    what: `${client.name}: ${texts.length} messages`,
    timeoutMs,
  });
  for (const text of texts) {
    expect(
      client.received.filter((m) => m.text === text),
      `${client.name}: "${text}" once`,
    ).toHaveLength(1);
  }
}
