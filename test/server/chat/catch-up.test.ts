import { describe, expect, it } from "vitest";
import { catchUp } from "../../../server/chat/catch-up.ts";
import { Chat } from "../../../server/chat/chat.ts";
import { MemoryMessageStore } from "../../../server/chat/message-store.ts";
import type { Message } from "../../../shared/protocol.ts";

/** A store whose reads wait until released, so a message can be published while the history is being read. */
class SlowStore extends MemoryMessageStore {
  release!: () => void;
  override async since(id: number): Promise<Message[]> {
    const snapshot = await super.since(id);
    await new Promise<void>((resolve) => (this.release = resolve));
    return snapshot;
  }
}

describe("catchUp", () => {
  it("hands join the history after since, then messages published during the read, each once, in order", async () => {
    const store = new SlowStore();
    const chat = new Chat(store);
    for (const text of ["a", "b", "c"]) await chat.post({ user: "u", text });
    let missed: Message[] | undefined;
    const done = catchUp(chat, 1, undefined, (page) => (missed = page.messages));
    await new Promise((resolve) => setImmediate(resolve));
    await chat.post({ user: "u", text: "d" }); // stored after the read's snapshot: only the subscription sees it
    store.release();
    await done;
    expect(missed!.map((m) => m.text)).toEqual(["b", "c", "d"]);
  });

  it("drops a raced message the history already holds", async () => {
    const chat = new Chat();
    await chat.post({ user: "u", text: "a" });
    // Publish during the read, before the store answers: the history holds it too.
    const original = chat.history.bind(chat);
    chat.history = async (id, epoch) => {
      await chat.post({ user: "u", text: "b" });
      return original(id, epoch);
    };
    let missed: Message[] | undefined;
    await catchUp(chat, 0, undefined, (page) => (missed = page.messages));
    expect(missed!.map((m) => m.text)).toEqual(["a", "b"]);
  });

  it("leaves no subscription behind", async () => {
    const chat = new Chat();
    let listeners = 0;
    const subscribe = chat.subscribe.bind(chat);
    chat.subscribe = (listener) => {
      listeners++;
      const unsubscribe = subscribe(listener);
      return () => {
        listeners--;
        return unsubscribe();
      };
    };
    await catchUp(chat, 0, undefined, () => {});
    expect(listeners).toBe(0);
  });
});
