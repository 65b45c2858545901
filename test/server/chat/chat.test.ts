import { describe, expect, it } from "vitest";
import { Chat, FIRST_MESSAGE } from "../../../server/chat/chat.ts";
import { createChat } from "../../../server/chat-factory.ts";
import type { Message } from "../../../shared/protocol.ts";

describe("Chat", () => {
  it("starts in memory with the lesson's first message", async () => {
    const chat = await createChat();
    expect(await chat.since(0)).toEqual([{ id: 1, ...FIRST_MESSAGE, sentAt: expect.any(Number) }]);
  });

  it("stores a message before telling listeners, and stops telling them after unsubscribe", async () => {
    const chat = new Chat();
    const heard: Array<{ message: Message; stored: Message[] }> = [];
    const unsubscribe = chat.subscribe((message) => {
      chat.since(message.id - 1).then((stored) => heard.push({ message, stored }));
    });
    const first = await chat.post({ user: "a", text: "one" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual([{ message: first, stored: [first] }]);
    unsubscribe();
    await chat.post({ user: "a", text: "two" });
    expect(heard).toHaveLength(1);
  });

  it("history(since, epoch): after `since` in its epoch; from the start when `since` counts in another", async () => {
    const chat = new Chat();
    const [a, b] = [await chat.post({ user: "u", text: "a" }), await chat.post({ user: "u", text: "b" })];
    expect(chat.epoch).toMatch(/^[0-9a-f]{12}$/);
    expect(await chat.history(a.id)).toEqual({ epoch: chat.epoch, since: a.id, messages: [b] });
    expect(await chat.history(a.id, chat.epoch)).toEqual({ epoch: chat.epoch, since: a.id, messages: [b] });
    // An id seen in a history that is gone (a restart with --memory): it means nothing here.
    expect(await chat.history(b.id, "0123456789ab")).toEqual({ epoch: chat.epoch, since: 0, messages: [a, b] });
    expect(new Chat().epoch).not.toBe(chat.epoch);
  });
});
