import { EventSource } from "eventsource";
import { describe, expect, it } from "vitest";
import { listen } from "../../../clients/transports/sse.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

describe("listen() (Server-Sent Events) against a real server, with the eventsource package in Node", () => {
  const server = useServer();

  it("gets the history, then each new message once, and reports the stream open", async () => {
    const received: Message[] = [];
    const statuses: string[] = [];
    const stop = listen({
      baseUrl: server().url,
      EventSource,
      onMessage: (message) => received.push(message),
      onStatus: (status) => statuses.push(status),
    });
    try {
      await waitFor(() => received.some((m) => m.text === "first message"), { what: "the history" });
      const text = uniqueText("sse client");
      const posted = await postMessage(server().url, { user: "t", text });
      await waitFor(() => received.some((m) => m.id === posted.id), { what: "the posted message" });
      expect(statuses[0]).toBe("open");
      const ids = received.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      stop();
    }
  });

  it("resumes after the server ends the stream, getting exactly what it missed", async () => {
    const requests = () => server().stats.snapshot().requests["GET /events"] ?? 0;
    const before = requests();
    const received: Message[] = [];
    const stop = listen({ baseUrl: server().url, EventSource, onMessage: (message) => received.push(message) });
    try {
      await waitFor(() => received.length > 0 && server().sseStreams.streams.size === 1, { what: "only this stream" });
      for (const stream of server().sseStreams.streams) stream.end(); // as if the connection broke
      const missed = await postMessage(server().url, { user: "t", text: uniqueText("while away") });
      await waitFor(() => received.some((m) => m.id === missed.id), { what: "the missed message after reconnecting" });
      expect(requests()).toBe(before + 2); // it came through a second request: the reconnect
      const ids = received.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      stop();
    }
  });
});
