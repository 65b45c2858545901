import { afterEach, describe, expect, it, vi } from "vitest";
import { startLongPolling } from "../../../clients/transports/long-polling.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

describe("startLongPolling against a real server", () => {
  const server = useServer({ longPoll: { timeoutMs: 300 } });

  it("gets the history, then a new message while held, resuming from the last id", async () => {
    const urls: string[] = [];
    const batches: Message[][] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const stop = startLongPolling({ baseUrl: server().url, fetch: fetchImpl, onMessages: (m) => batches.push(m) });
    try {
      await waitFor(() => server().longPolls.held.size === 1, { what: "a held poll" });
      const posted = await postMessage(server().url, { user: "t", text: uniqueText("long poll") });
      await waitFor(() => batches.flat().some((m) => m.id === posted.id), { what: "the posted message" });
      await waitFor(() => urls.some((url) => url.endsWith(`?since=${posted.id}`)), { what: "the next poll from the new id" });
    } finally {
      stop();
    }
    expect(urls[0]).toBe(`${server().url}/messages/wait?since=0`);
    const ids = batches.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Stopping aborts the held request, so the server frees its slot.
    await waitFor(() => server().longPolls.held.size === 0, { what: "the held poll to be released" });
  });
});

describe("startLongPolling (fake timers): errors", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("backs off after each failure and resets after a success", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(1); // every wait at its ceiling (clients/transports/backoff.ts)
    const times: number[] = [];
    let calls = 0;
    const fetchImpl = vi.fn(async () => {
      times.push(Date.now());
      calls++;
      if (calls <= 3 || calls === 5) throw new TypeError("connection refused");
      if (calls === 4) return new Response("[]");
      return new Promise<Response>(() => {}); // then held forever
    });
    const start = Date.now();
    const stop = startLongPolling({ fetch: fetchImpl as unknown as typeof fetch, onMessages: () => {} });
    await vi.advanceTimersByTimeAsync(5000);
    stop();
    expect(times.map((t) => t - start)).toEqual([0, 250, 750, 1750, 1750, 2000]);
  });

  it("treats an error status (503) as a failure, not as messages", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(1);
    const onMessages = vi.fn();
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ error: "full" }), { status: 503 }));
    const stop = startLongPolling({ fetch: fetchImpl as unknown as typeof fetch, onMessages });
    await vi.advanceTimersByTimeAsync(1000);
    stop();
    expect(onMessages).not.toHaveBeenCalled();
    expect(fetchImpl.mock.calls.length).toBe(3); // at 0, 250 and 750 ms
  });
});
