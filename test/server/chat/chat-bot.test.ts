import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Chat } from "../../../server/chat/chat.ts";
import { createChat } from "../../../server/chat/chat-factory.ts";
import { ChatBot } from "../../../server/chat/chat-bot.ts";
import { MAX_BOT_RATE } from "../../../server/guard/limits.ts";

describe("ChatBot", () => {
  let chat: Chat;
  let bot: ChatBot;

  beforeEach(async () => {
    vi.useFakeTimers();
    chat = await createChat();
    bot = new ChatBot(chat);
  });
  afterEach(() => {
    bot.stop();
    vi.useRealTimers();
  });

  const botMessages = async () => (await chat.since(1)).filter((m) => m.user === "chatbot");

  it("posts `rate` messages per second as user chatbot", async () => {
    bot.setRate(4);
    expect(bot.rate).toBe(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await botMessages()).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(2000);
    const messages = await botMessages();
    expect(messages).toHaveLength(12);
    expect(new Set(messages.map((m) => m.text)).size).toBeGreaterThan(1);
  });

  it("stops at rate 0 and with stop()", async () => {
    bot.setRate(10);
    await vi.advanceTimersByTimeAsync(500);
    bot.setRate(0);
    expect(bot.rate).toBe(0);
    const count = (await botMessages()).length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(await botMessages()).toHaveLength(count);

    bot.setRate(10);
    bot.stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(await botMessages()).toHaveLength(count);
  });

  it("a new rate replaces the old one instead of adding a second timer", async () => {
    bot.setRate(10);
    bot.setRate(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await botMessages()).toHaveLength(2);
  });

  it.each([-1, MAX_BOT_RATE + 1, NaN, Infinity])("refuses rate %s and keeps the old one", async (rate) => {
    bot.setRate(1);
    expect(() => bot.setRate(rate)).toThrow(RangeError);
    expect(bot.rate).toBe(1);
  });

  it("skips a failed post and goes on posting", async () => {
    const post = vi.spyOn(chat, "post");
    post.mockRejectedValueOnce(new Error("broker unavailable"));
    bot.setRate(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(bot.failures).toBe(1);
    expect(bot.rate).toBe(4);
    expect(await botMessages()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await botMessages()).toHaveLength(7);
  });
});
