import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { Chat } from "../../../server/chat/chat.ts";
import {
  MAX_RATE_LIMITED_CLIENTS,
  POST_BURST,
  POST_RATE_PER_SECOND,
  SOCKET_MESSAGE_BURST,
  SOCKET_MESSAGES_PER_SECOND,
} from "../../../server/limits/input-limits.ts";
import { KeyedRateLimiter, TokenBucket } from "../../../server/guard/rate-limit.ts";
import { CLOSE_POLICY_VIOLATION } from "../../../server/transports/socket-hub.ts";
import { useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";
import { SocketClient } from "../../support/socket-client.ts";

describe("TokenBucket", () => {
  it("allows a burst, then perSecond, and says how long to wait", () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.retryAfterSeconds()).toBe(1);
    now += 500; // half a second: one token back
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000; // refills only up to the burst
    expect(bucket.full).toBe(true);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe("KeyedRateLimiter", () => {
  it("keeps one bucket per key", () => {
    const limiter = new KeyedRateLimiter({ perSecond: 1, burst: 1 }, () => 0);
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(1);
    expect(limiter.take("b")).toBe(0);
  });

  it(`remembers at most maxKeys clients (MAX_RATE_LIMITED_CLIENTS = ${MAX_RATE_LIMITED_CLIENTS} by default)`, () => {
    const limiter = new KeyedRateLimiter({ perSecond: 1, burst: 5 }, () => 0);
    for (let i = 0; i < MAX_RATE_LIMITED_CLIENTS * 2; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBeLessThanOrEqual(MAX_RATE_LIMITED_CLIENTS);
  });
});

const post = (text: string) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ user: "flood", text }),
});

describe(`POST /messages: POST_BURST = ${POST_BURST}, POST_RATE_PER_SECOND = ${POST_RATE_PER_SECOND} per client`, () => {
  it("over the burst: 429 with Retry-After and a JSON error, and nothing stored", async () => {
    const chat = new Chat();
    const { app } = createApp({ chat });
    const statuses: number[] = [];
    // Sent at once: far fewer tokens come back in the time this takes than the 5 extra requests.
    for (let i = 0; i < POST_BURST + 5; i++) statuses.push((await app.request("/messages", post(`m${i}`))).status);
    expect(statuses.slice(0, POST_BURST)).toEqual(Array(POST_BURST).fill(201));
    expect(statuses.at(-1)).toBe(429);
    const refused = await app.request("/messages", post("one more"));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({ error: expect.stringContaining("too many messages"), code: "rate-limited" });
    const stored = await chat.since(0);
    expect(stored.length).toBe(statuses.filter((status) => status === 201).length);
    expect(stored.some((message) => message.text === "one more")).toBe(false);
  });
});

describe("on a real server", () => {
  const server = useServer({ postLimit: { perSecond: 0.001, burst: 3 } });

  it("POST is limited per remote address (getConnInfo)", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server().url}/messages`, post(`r${i}`))).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it(`a socket over SOCKET_MESSAGE_BURST = ${SOCKET_MESSAGE_BURST} (${SOCKET_MESSAGES_PER_SECOND}/s) gets an error frame, then close 1008`, async () => {
    const client = await SocketClient.open(server().url);
    for (let i = 0; i < SOCKET_MESSAGE_BURST + 5; i++) client.send({ user: "flood", text: `frame ${i}` });
    const closed = await client.waitForClose();
    expect(closed.code).toBe(CLOSE_POLICY_VIOLATION);
    expect(client.errors).toEqual([expect.stringContaining("too many messages")]);
    // The burst went through (a token per frame); the rest did not.
    const stored = (await server().chat.since(0)).filter(
      (message) => message.user === "flood" && message.text.startsWith("frame"),
    );
    expect(stored.length).toBeGreaterThanOrEqual(SOCKET_MESSAGE_BURST);
    expect(stored.length).toBeLessThan(SOCKET_MESSAGE_BURST + 5);
  });
});

describe("socket frames are limited per address, over all its sockets", () => {
  const server = useServer();

  it(
    `4 sockets from one address, 8 frames each (each under SOCKET_MESSAGE_BURST = ${SOCKET_MESSAGE_BURST}): ` +
      "together over it, so the excess is refused and its sockets closed with 1008",
    async () => {
      const sockets = await Promise.all(Array.from({ length: 4 }, () => SocketClient.open(server().url)));
      sockets.forEach((socket, k) => {
        for (let i = 0; i < 8; i++) socket.send({ user: "flood", text: `socket ${k} frame ${i}` });
      });
      await waitFor(() => sockets.some((socket) => socket.closedWith), { what: "a socket closed for the rate limit" });
      const closed = sockets.filter((socket) => socket.closedWith);
      for (const socket of closed) {
        expect(socket.closedWith!.code).toBe(CLOSE_POLICY_VIOLATION);
        expect(socket.errors).toContainEqual(expect.stringContaining("too many messages"));
      }
      await Promise.all(sockets.map((socket) => socket.close()));
      const stored = (await server().chat.since(0)).filter((message) => message.user === "flood");
      expect(stored.length).toBeLessThan(4 * 8);
    },
  );
});
