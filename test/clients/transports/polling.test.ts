import { afterEach, describe, expect, it, vi } from "vitest";
import { startNaivePolling, startPolling } from "../../../clients/transports/polling.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

const message = (id: number): Message => ({ id, user: "u", text: `m${id}`, sentAt: id });

/** A fake server's `fetch`: records each URL and answers with the messages after `?since=` from `history`. */
function fakeFetch(history: Message[]) {
  const urls: string[] = [];
  const fetch = vi.fn(async (url: string | URL | Request) => {
    urls.push(String(url));
    const since = Number(new URL(String(url), "http://x").searchParams.get("since") ?? 0);
    return new Response(JSON.stringify(history.filter((m) => m.id > since)));
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, urls };
}

describe("startPolling (fake timers, injected fetch)", () => {
  afterEach(() => vi.useRealTimers());

  it("polls at once, then every interval, asking only for what is newer than the last id", async () => {
    vi.useFakeTimers();
    const history = [message(1), message(2)];
    const server = fakeFetch(history);
    const received: Message[][] = [];
    const stop = startPolling({ interval: 500, fetch: server.fetch, onMessages: (m) => received.push(m) });

    await vi.advanceTimersByTimeAsync(0);
    expect(server.urls).toEqual(["/messages?since=0"]);
    history.push(message(3));
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(server.urls).toEqual(["/messages?since=0", "/messages?since=2", "/messages?since=3"]);
    expect(received.map((batch) => batch.map((m) => m.id))).toEqual([[1, 2], [3], []]);

    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.urls).toHaveLength(3);
  });

  it("does not ask again while an answer is still outstanding, and survives a failed request", async () => {
    vi.useFakeTimers();
    let release!: () => void;
    const urls: string[] = [];
    const fetch = vi.fn(async (url: string) => {
      urls.push(url);
      if (urls.length === 1) {
        await new Promise<void>((resolve) => (release = resolve));
        throw new TypeError("network down");
      }
      return new Response(JSON.stringify([message(1)]));
    });
    const received: Message[][] = [];
    const stop = startPolling({ interval: 100, fetch: fetch as never, onMessages: (m) => received.push(m) });
    await vi.advanceTimersByTimeAsync(350); // three ticks while the first request hangs
    expect(urls).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(urls).toEqual(["/messages?since=0", "/messages?since=0"]);
    expect(received).toEqual([[message(1)]]);
    stop();
  });
});

describe("startNaivePolling (the slides' loop)", () => {
  afterEach(() => vi.useRealTimers());

  it("fetches the whole history every interval, so the same messages come again and again", async () => {
    vi.useFakeTimers();
    const server = fakeFetch([message(1), message(2)]);
    const received: number[] = [];
    const stop = startNaivePolling({
      interval: 1000,
      fetch: server.fetch,
      onMessages: (m) => received.push(...m.map((x) => x.id)),
    });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    expect(server.urls).toEqual(["/messages", "/messages", "/messages"]);
    expect(received).toEqual([1, 2, 1, 2, 1, 2]);
  });
});

describe("startPolling against a real server", () => {
  const server = useServer();

  it("gets every message exactly once, whoever posted it", async () => {
    const received: Message[] = [];
    const stop = startPolling({ interval: 50, baseUrl: server().url, onMessages: (m) => received.push(...m) });
    try {
      const texts = [uniqueText("one"), uniqueText("two"), uniqueText("three")];
      for (const text of texts) await postMessage(server().url, { user: "poller-test", text });
      await waitFor(() => received.some((m) => m.text === texts[2]), { what: "the third message" });
      const polls = server().stats.requests["GET /messages"]!;
      await waitFor(() => server().stats.requests["GET /messages"]! >= polls + 2, { what: "two more polls" });
      expect(received.map((m) => m.text)).toEqual(["first message", ...texts]);
      expect(new Set(received.map((m) => m.id)).size).toBe(received.length);
    } finally {
      stop();
    }
  });
});
