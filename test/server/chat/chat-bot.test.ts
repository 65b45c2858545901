import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Chat } from "../../../server/chat/chat.ts";
import { createChat } from "../../../server/chat-factory.ts";
import { ChatBot } from "../../../server/chat/chat-bot.ts";
import { MAX_BOT_RATE } from "../../../shared/class-protocol.ts";

describe("ChatBot, steady", () => {
  let chat: Chat;
  let bot: ChatBot;

  beforeEach(async () => {
    vi.useFakeTimers();
    chat = await createChat();
    bot = new ChatBot(chat, { arrivals: "steady" });
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

describe("ChatBot, Poisson (the default)", () => {
  /** The bot's timer, run by hand: each scheduled wait is recorded, and `fire()` runs the pending task. */
  function manualTimer() {
    const waits: number[] = [];
    let pending: (() => void) | undefined;
    return {
      waits,
      schedule: (task: () => void, ms: number) => {
        waits.push(ms);
        pending = task;
        return () => (pending = undefined);
      },
      fire: () => pending?.(),
      get pending() {
        return pending !== undefined;
      },
    };
  }

  it("waits -ln(1 - u) / rate between posts, u from its random source: its mean is 1/rate", async () => {
    const timer = manualTimer();
    for (const u of [0, 0.5, 0.9]) {
      const bot = new ChatBot(await createChat(), { random: () => u, schedule: timer.schedule });
      bot.setRate(2);
      timer.fire();
      bot.stop();
      expect(timer.pending).toBe(false);
    }
    const expected = [0, 0.5, 0.9].flatMap((u) => [(-Math.log(1 - u) * 1000) / 2, (-Math.log(1 - u) * 1000) / 2]);
    expect(timer.waits).toEqual(expected);
  });

  it("over many draws of Math.random, the mean gap is 1/rate and the gaps spread (exponential: sd = mean)", async () => {
    const timer = manualTimer();
    const bot = new ChatBot(await createChat(), { schedule: timer.schedule });
    bot.setRate(4);
    for (let i = 0; i < 4000; i++) timer.fire();
    bot.stop();
    const mean = timer.waits.reduce((sum, wait) => sum + wait, 0) / timer.waits.length;
    const sd = Math.sqrt(timer.waits.reduce((sum, wait) => sum + (wait - mean) ** 2, 0) / timer.waits.length);
    expect(mean).toBeGreaterThan(225);
    expect(mean).toBeLessThan(275);
    expect(sd / mean).toBeGreaterThan(0.85); // a steady bot's would be 0
  });

  it("numbers each line (#1, #2, …) and never repeats a line before every other one was used", async () => {
    const chat = await createChat();
    const timer = manualTimer();
    const bot = new ChatBot(chat, { schedule: timer.schedule });
    bot.setRate(10);
    for (let i = 0; i < 60; i++) timer.fire();
    bot.stop();
    await vi.waitFor(async () => expect((await chat.since(1)).length).toBe(60));
    const texts = (await chat.since(1)).map((m) => m.text);
    expect(texts.map((text) => text.split(" ")[0])).toEqual(texts.map((_, i) => `#${i + 1}`));
    const lines = texts.map((text) => text.slice(text.indexOf(" ") + 1));
    const deck = new Set(lines).size;
    for (let i = 0; i + deck <= lines.length; i += deck) expect(new Set(lines.slice(i, i + deck)).size).toBe(deck);
    for (let i = 1; i < lines.length; i++) expect(lines[i]).not.toBe(lines[i - 1]);
  });
});
