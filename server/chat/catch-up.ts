import type { Message } from "../../shared/protocol.ts";
import type { Chat } from "./chat.ts";

/**
 * How a client joins the live feed after `since` with no gap and no repeat: it subscribes first, then reads the
 * history, and live messages that raced the read are merged in by id. `join` gets everything missed (history, then
 * the raced ones) and runs synchronously, so a transport that adds its client to the live set inside `join` cannot
 * miss a message published in between. Shared by the WebSocket, the event stream and long polling.
 */
export async function catchUp(chat: Chat, since: number, join: (missed: Message[]) => void): Promise<void> {
  const raced: Message[] = [];
  const unsubscribe = chat.subscribe((message) => raced.push(message));
  let history: Message[];
  try {
    history = await chat.since(since);
  } finally {
    unsubscribe();
  }
  const lastId = history.at(-1)?.id ?? since;
  join([...history, ...raced.filter((message) => message.id > lastId)]);
}
