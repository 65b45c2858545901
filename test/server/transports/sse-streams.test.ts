import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

interface ServerEvent {
  id?: string;
  data?: string;
  comment?: string;
  retry?: string;
}

/** Reads a `text/event-stream` body as curl would show it, and parses it into events (blank line = end of event). */
function readEvents(response: Response) {
  const events: ServerEvent[] = [];
  let buffer = "";
  let ended = false;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const done = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event: ServerEvent = {};
        for (const line of buffer.slice(0, end).split("\n")) {
          if (line.startsWith(":")) event.comment = line.slice(1).trim();
          else {
            const [field, ...rest] = line.split(": ");
            event[field as keyof ServerEvent] = rest.join(": ");
          }
        }
        events.push(event);
        buffer = buffer.slice(end + 2);
      }
    }
    ended = true;
  })().catch(() => {});
  const messages = () => events.filter((e) => e.data !== undefined).map((e) => JSON.parse(e.data!) as Message);
  return { events, messages, done, ended: () => ended, cancel: () => reader.cancel().catch(() => {}) };
}

describe("GET /events on a real server, read like `curl -N`", () => {
  const server = useServer();

  it("streams text/event-stream: the history, then each new message as `id:` + `data:`", async () => {
    const controller = new AbortController();
    const response = await fetch(`${server().url}/events`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const stream = readEvents(response);
    try {
      await waitFor(() => stream.messages().length > 0, { what: "the history" });
      expect(stream.events[0]).toEqual({ retry: expect.stringMatching(/^\d+$/) });
      const posted = await postMessage(server().url, { user: "t", text: uniqueText("sse") });
      await waitFor(() => stream.messages().some((m) => m.id === posted.id), { what: "the posted message" });
      const last = stream.events.at(-1)!;
      const epoch = server().chat.epoch; // `id: <epoch>-<message id>`, so a resumed stream can tell another history
      expect(last.id).toBe(`${epoch}-${posted.id}`);
      expect(JSON.parse(last.data!)).toEqual(posted);
      for (const event of stream.events.filter((e) => e.data)) {
        expect(event.id).toBe(`${epoch}-${JSON.parse(event.data!).id}`);
      }
    } finally {
      controller.abort();
    }
    await waitFor(() => server().sseStreams.streams.size === 0, {
      what: "the stream to be dropped after the client left",
    });
  });

  it("a reconnect with Last-Event-ID gets exactly the messages it missed, then the live ones", async () => {
    const seen = await postMessage(server().url, { user: "t", text: uniqueText("seen") });
    const missed = [
      await postMessage(server().url, { user: "t", text: uniqueText("missed 1") }),
      await postMessage(server().url, { user: "t", text: uniqueText("missed 2") }),
    ];
    const controller = new AbortController();
    const response = await fetch(`${server().url}/events`, {
      headers: { "Last-Event-ID": String(seen.id) },
      signal: controller.signal,
    });
    const stream = readEvents(response);
    try {
      await waitFor(() => stream.messages().length >= 2, { what: "the missed messages" });
      const live = await postMessage(server().url, { user: "t", text: uniqueText("live") });
      await waitFor(() => stream.messages().some((m) => m.id === live.id), { what: "the live message" });
      expect(stream.messages()).toEqual([...missed, live]);
    } finally {
      controller.abort();
    }
  });

  it("?since= works like Last-Event-ID, the header wins when both are sent, and an empty header is no header", async () => {
    const a = await postMessage(server().url, { user: "t", text: uniqueText("a") });
    const b = await postMessage(server().url, { user: "t", text: uniqueText("b") });
    for (const [init, expected] of [
      [{}, [b]],
      [{ headers: { "Last-Event-ID": String(b.id) } }, []],
      [{ headers: { "Last-Event-ID": "" } }, [b]], // not the whole history
    ] as const) {
      const controller = new AbortController();
      const stream = readEvents(
        await fetch(`${server().url}/events?since=${a.id}`, { ...init, signal: controller.signal }),
      );
      // The retry line comes first and the catch-up right after it, in one go; then the stream waits.
      await waitFor(() => stream.events.length >= 1 + expected.length, { what: "the catch-up" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      expect(stream.messages()).toEqual(expected);
    }
  });

  it.each([
    ["?since=abc", {}],
    ["", { "Last-Event-ID": "not-a-number" }],
  ])("a bad position (%s %j) is 400 with a JSON error", async (query, headers) => {
    const response = await fetch(`${server().url}/events${query}`, { headers });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/since/), code: "bad-request" });
  });
});

describe("GET /events across histories (app.request)", () => {
  it("Last-Event-ID <epoch>-<id>: this epoch resumes after the id; another epoch gets the history from its start", async () => {
    const chatApp = createApp({ chat: await createChat() });
    const posted = [];
    for (const text of ["a", "b", "c"]) posted.push(await chatApp.chat.post({ user: "t", text }));
    const events = async (lastEventId: string, count: number) => {
      const controller = new AbortController();
      const response = await chatApp.app.request("/events", {
        headers: { "Last-Event-ID": lastEventId },
        signal: controller.signal,
      });
      const stream = readEvents(response);
      await waitFor(() => stream.messages().length >= count, { what: `${count} events` });
      await waitFor(() => chatApp.sseStreams.streams.size === 1, { what: "the stream to join the live feed" });
      controller.abort();
      await stream.cancel();
      await waitFor(() => chatApp.sseStreams.streams.size === 0, { what: "the stream to end" });
      return stream.events.filter((event) => event.data);
    };
    const epoch = chatApp.chat.epoch;
    const resumed = await events(`${epoch}-${posted[0]!.id}`, 2);
    expect(resumed.map((event) => event.id)).toEqual([`${epoch}-${posted[1]!.id}`, `${epoch}-${posted[2]!.id}`]);
    const other = await events(`0123456789ab-${posted[2]!.id}`, 4); // a stream from before a restart
    expect(other.map((event) => JSON.parse(event.data!).text)).toEqual(["first message", "a", "b", "c"]);
    const bad = await chatApp.app.request("/events", { headers: { "Last-Event-ID": "not an epoch-3" } });
    expect([bad.status, await bad.json()]).toEqual([
      400,
      { error: expect.stringMatching(/epoch/), code: "bad-request" },
    ]);
  });
});

describe("GET /events limits and shutdown (app.request)", () => {
  it("sends a comment line as keep-alive while idle", async () => {
    const chatApp = createApp({ chat: await createChat(), sse: { keepAliveMs: 20 } });
    const stream = readEvents(await chatApp.app.request("/events"));
    await waitFor(() => stream.events.some((e) => e.comment === "keep-alive"), { what: "a keep-alive comment" });
    await chatApp.shutdown();
  });

  it("shutdown ends every stream, and a request after it gets a stream that ends at once", async () => {
    const chatApp = createApp({ chat: await createChat() });
    const streams = [
      readEvents(await chatApp.app.request("/events")),
      readEvents(await chatApp.app.request("/events")),
    ];
    await waitFor(() => chatApp.sseStreams.streams.size === 2, { what: "two open streams" });
    await chatApp.shutdown();
    await Promise.all(streams.map((s) => s.done));
    expect(streams.every((s) => s.ended() && s.messages().length === 1)).toBe(true);
    const late = readEvents(await chatApp.app.request("/events"));
    await late.done;
    expect(late.events).toEqual([]);
  });

  it("answers 503 with a JSON error when the streams are at the limit", async () => {
    const chatApp = createApp({ chat: await createChat(), sse: { maxStreams: 1 } });
    const first = readEvents(await chatApp.app.request("/events"));
    await waitFor(() => chatApp.sseStreams.streams.size === 1, { what: "the first stream" });
    const refused = await chatApp.app.request("/events");
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/event streams/), code: "server-busy" });
    await chatApp.shutdown();
    await first.done;
  });

  it("a history of exactly maxQueued events fits: the stream joins and stays open", async () => {
    const chatApp = createApp({ chat: await createChat(), sse: { maxQueued: 3 } });
    for (let i = 0; i < 2; i++) await chatApp.chat.post({ user: "u", text: `m${i}` }); // + the first message: 3
    const stream = readEvents(await chatApp.app.request("/events"));
    await waitFor(() => stream.messages().length === 3, { what: "the whole history" });
    expect(chatApp.sseStreams.streams.size).toBe(1);
    expect(stream.ended()).toBe(false);
    await chatApp.shutdown();
    await stream.done;
  });

  it("ends a stream whose client stops reading, so its unread events stay bounded", async () => {
    const chatApp = createApp({ chat: await createChat(), sse: { maxQueued: 3 } });
    const response = await chatApp.app.request("/events"); // never read until the end
    await waitFor(() => chatApp.sseStreams.streams.size === 1, { what: "the stream to join" });
    for (let i = 0; i < 10; i++) await chatApp.chat.post({ user: "u", text: `m${i}` });
    expect(chatApp.sseStreams.streams.size).toBe(0);
    const stream = readEvents(response);
    await stream.done;
    expect(stream.messages().length).toBeLessThan(11); // history + at most the queued few, then the end
    await chatApp.shutdown();
  });
});
