import { describe, expect, it } from "vitest";
import { Chat, FIRST_MESSAGE } from "../../../server/chat/chat.ts";
import { createChat } from "../../../server/chat/chat-factory.ts";
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
});
