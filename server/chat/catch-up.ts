import type { Message } from "../../shared/protocol.ts";
import type { Chat, Page } from "./chat.ts";

/**
 * How a client joins the live feed after `since` with no gap and no repeat: it subscribes first, then reads the
 * history, and live messages that raced the read are merged in by id. `join` gets everything missed (history, then
 * the raced ones) and runs synchronously, so a transport that adds its client to the live set inside `join` cannot
 * miss a message published in between. Shared by the WebSocket, the event stream and long polling.
 *
 * `epoch` is the one the client's `since` counts in (Chat.history). The page `join` gets is always in the live feed's
 * epoch: if the history started again while it was read (a Redis that lost its data), it is read again.
 */
export async function catchUp(
  chat: Chat,
  since: number,
  epoch: string | undefined,
  join: (missed: Page) => void,
): Promise<void> {
  for (;;) {
    const raced: Message[] = [];
    const unsubscribe = chat.subscribe((message) => raced.push(message));
    const unwatch = chat.onNewEpoch(() => (raced.length = 0)); // what raced before belongs to the old history
    let page: Page;
    try {
      page = await chat.history(since, epoch);
    } finally {
      unsubscribe();
      unwatch();
    }
    if (page.epoch !== chat.epoch) continue;
    const lastId = page.messages.at(-1)?.id ?? page.since;
    return join({ ...page, messages: [...page.messages, ...raced.filter((message) => message.id > lastId)] });
  }
}
