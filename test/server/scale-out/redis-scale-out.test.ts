import { afterAll, afterEach, expect, it } from "vitest";
import { createChat } from "../../../server/chat-factory.ts";
import { startServer, type RunningServer } from "../../../server/node/node-server.ts";
import type { HealthBody, Message } from "../../../shared/protocol.ts";
import { connectRedis } from "../../../server/scale-out/redis-connection.ts";
import { CLOSE_NEW_HISTORY } from "../../../server/transports/socket-hub.ts";
import { chatClient, expectEachOnce, fiveClients, type ChatClient } from "../../support/chat-clients.ts";
import { describeWithRedis, freshNamespace, useRedis } from "../../support/redis.ts";
import { getMessages, postMessage, uniqueText } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

/** Bounded: the publisher stops after this many attempts, whatever happens. */
const PUBLISHED = 60;
const KILL_AFTER = 20;
/** The tests post faster than one person may; the rate limit is not what they test. */
const NO_POST_LIMIT = { perSecond: 10_000, burst: 10_000 };

/** One instance of the chat in `namespace` on the Redis at `redisUrl`, its log lines into `logged`. */
async function instance(redisUrl: string, namespace: string, logged: string[]): Promise<RunningServer> {
  return startServer({
    port: 0,
    hostname: "127.0.0.1",
    postLimit: NO_POST_LIMIT,
    chat: await createChat({ redisUrl, namespace, log: (line) => logged.push(line) }),
  });
}

async function health(server: RunningServer): Promise<{ status: number; body: HealthBody }> {
  const response = await fetch(`${server.url}/health`);
  return { status: response.status, body: (await response.json()) as HealthBody };
}

describeWithRedis("two instances sharing one chat through Redis", () => {
  // Persistent (fsync on every write), so a killed and restarted Redis comes back with its data, as a real one would.
  const redis = useRedis({ persist: true });
  const servers: RunningServer[] = [];
  const clients: ChatClient[] = [];
  const logged: string[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.stop();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(() => expect(logged.filter((line) => !line.startsWith("redis: "))).toEqual([]));

  /** Two instances of one chat, each with its own connections to Redis, as two processes would have. */
  async function twoInstances(): Promise<[RunningServer, RunningServer]> {
    const namespace = freshNamespace("scale-out");
    const start = () => instance(redis().url, namespace, logged);
    const pair: [RunningServer, RunningServer] = [await start(), await start()];
    servers.push(...pair);
    return pair;
  }

  it("a POST to A reaches a socket, a poller, a long poll and an event stream on B, and A's own socket once", async () => {
    const [a, b] = await twoInstances();
    const watching = [
      chatClient("socket", b.url, "socket on B"),
      chatClient("polling", b.url, "poller on B"),
      chatClient("long poll", b.url, "long poll on B"),
      chatClient("event stream", b.url, "event stream on B"),
      chatClient("socket", a.url, "socket on A"),
    ];
    clients.push(...watching);
    // The first message of the chat, posted once although two instances started.
    for (const client of watching) {
      await waitFor(() => client.received.length === 1, { what: `${client.name}: the first message` });
      expect(client.received[0]!.text).toBe("first message");
    }

    const posted = await postMessage(a.url, { user: "ada", text: uniqueText("across") });
    for (const client of watching) {
      await waitFor(() => client.received.some((m) => m.id === posted.id), { what: `${client.name}: the post` });
    }
    // Another message after it: by then a duplicate of the first would have arrived too.
    const next = await postMessage(b.url, { user: "bob", text: uniqueText("back") });
    for (const client of watching) {
      await waitFor(() => client.received.some((m) => m.id === next.id), { what: `${client.name}: the reply` });
      expect(
        client.received.map((m) => m.id),
        client.name,
      ).toEqual([1, posted.id, next.id]);
    }
    expect(await health(a)).toEqual({ status: 200, body: { broker: "ok" } });
  });

  it("a message already in Redis but not yet brought by the channel is not history yet: no client gets it twice", async () => {
    const [a, b] = await twoInstances();
    // Stored on A, its publish not sent yet: the moment every post passes through, stretched.
    const stored = await a.chat.store.append({ user: "ada", text: uniqueText("in flight") });
    const watching = [
      chatClient("long poll", b.url, "long poll on B"),
      chatClient("event stream", b.url, "event stream on B"),
      chatClient("polling", b.url, "poller on B"),
    ];
    clients.push(...watching);
    for (const client of watching) {
      await waitFor(() => client.received.length === 1, { what: `${client.name}: the first message` });
    }
    await a.chat.broker.publish(stored);
    const next = await postMessage(a.url, { user: "ada", text: uniqueText("next") });
    for (const client of watching) {
      await waitFor(() => client.received.some((m) => m.id === next.id), { what: `${client.name}: the next message` });
      expect(
        client.received.map((m) => m.id),
        client.name,
      ).toEqual([1, stored.id, next.id]);
    }
  });

  it("Redis killed and restarted mid-stream: every acknowledged message reaches every client exactly once", async () => {
    const [a, b] = await twoInstances();
    const watching = [
      chatClient("socket", a.url, "socket on A"),
      chatClient("socket", b.url, "socket on B"),
      chatClient("polling", a.url, "poller on A"),
      chatClient("polling", b.url, "poller on B"),
      chatClient("long poll", b.url, "long poll on B"),
      chatClient("event stream", a.url, "event stream on A"),
    ];
    // Every client is connected before Redis goes away: a stream opened during the outage is refused, not tested here.
    for (const client of watching) {
      await waitFor(() => client.received.length > 0, { what: `${client.name}: the first message` });
    }
    clients.push(...watching);

    const acknowledged: Message[] = [];
    const refused: number[] = [];
    let sawDegraded = false;
    for (let i = 0; i < PUBLISHED; i++) {
      if (i === KILL_AFTER) {
        await redis().kill();
        await waitFor(async () => (await health(a)).status === 503 && (await health(b)).status === 503, {
          what: "both instances to report the broker degraded",
        });
        sawDegraded = true;
      }
      if (i === KILL_AFTER + 10) await redis().restart();
      const target = i % 2 === 0 ? a : b;
      const response = await fetch(`${target.url}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "publisher", text: `message ${i}` }),
      });
      if (response.status === 201) acknowledged.push((await response.json()) as Message);
      else {
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({
          error: expect.stringMatching(/^broker unavailable/),
          code: "broker-unavailable",
        });
        refused.push(i);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    expect(sawDegraded).toBe(true);
    // Posts during the outage were refused, not half-stored: the test must have crossed the outage to prove anything.
    expect(refused.length).toBeGreaterThan(0);
    expect(acknowledged.filter((m) => Number(m.text.split(" ")[1]) > KILL_AFTER + 10).length).toBeGreaterThan(0);

    for (const client of watching) {
      await waitFor(() => acknowledged.every((m) => client.received.some((r) => r.id === m.id)), {
        what: `${client.name}: every acknowledged message`,
        timeoutMs: 20_000,
      });
      const ids = client.received.map((m) => m.id);
      expect(ids, `${client.name}: each once, in order`).toEqual([...new Set(ids)].sort((x, y) => x - y));
      for (const message of acknowledged) expect(client.received).toContainEqual(message);
    }
    await waitFor(async () => (await health(a)).status === 200 && (await health(b)).status === 200, {
      what: "both brokers ok again",
    });
    expect(logged.some((line) => /connection back; resubscribed/.test(line))).toBe(true);
  });

  it("while Redis is away every route answers clearly, nothing crashes, and it all works again after", async () => {
    const [a] = await twoInstances();
    const unavailable = { error: expect.stringMatching(/^broker unavailable/), code: "broker-unavailable" };
    await redis().kill();
    try {
      await waitFor(async () => (await health(a)).status === 503, { what: "the broker degraded" });
      expect(await health(a)).toEqual({ status: 503, body: { broker: "degraded" } });
      for (const path of ["/messages?since=0", "/messages/wait?since=0"]) {
        const response = await fetch(`${a.url}${path}`);
        expect([path, response.status, await response.json()]).toEqual([path, 503, unavailable]);
      }
      const post = await fetch(`${a.url}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "u", text: "not stored" }),
      });
      expect([post.status, await post.json()]).toEqual([503, unavailable]);
      // A socket opened now cannot get its history: closed "try again later", and the client reconnects.
      const late = await SocketClient.open(a.url, "?since=0");
      expect(await late.waitForClose()).toEqual({ code: 1013, reason: expect.stringMatching(/broker down/) });
      // An event stream opened now is ended (the browser retries with Last-Event-ID), not left hanging.
      const events = await fetch(`${a.url}/events`);
      expect(events.status).toBe(200);
      expect(await events.text()).toMatch(/^retry: \d+/);
    } finally {
      await redis().restart();
    }
    await waitFor(async () => (await health(a)).status === 200, { what: "the broker ok again" });
    const after = await postMessage(a.url, { user: "u", text: uniqueText("after") });
    await waitFor(async () => (await getMessages(a.url, after.id - 1)).length === 1, {
      what: "the new message listed",
    });
    expect(await getMessages(a.url, after.id - 1)).toEqual([after]);
  });
});

describeWithRedis("a Redis that loses its data: a new history, with a new epoch", () => {
  // No persistence (`--save "" --appendonly no`, redis-process.ts): a restarted redis-server comes back empty.
  const redis = useRedis();
  const disruptions: [string, () => Promise<void>][] = [
    [
      "restarted empty",
      async () => {
        await redis().kill();
        await redis().restart();
      },
    ],
    [
      "flushed (FLUSHALL), the connections kept",
      async () => {
        const admin = await connectRedis(redis().url);
        await admin.flushAll();
        await admin.close();
      },
    ],
  ];

  it.each(disruptions)(
    "Redis %s: every message posted after it reaches open polling, conditional, long-poll, SSE " +
      "and socket clients exactly once, on both instances",
    async (_, disrupt) => {
      const namespace = freshNamespace("epoch");
      const logged: string[] = [];
      const [a, b] = [await instance(redis().url, namespace, logged), await instance(redis().url, namespace, logged)];
      const watching = [...fiveClients(a.url), chatClient("socket", b.url, "socket on B")];
      try {
        const before = [];
        for (let i = 0; i < 8; i++) {
          before.push((await postMessage(i % 2 ? a.url : b.url, { user: "u", text: uniqueText("before") })).text);
        }
        for (const client of watching) await expectEachOnce(client, before);
        const oldEpoch = a.chat.epoch;
        const raw = await SocketClient.open(b.url);
        await raw.waitForFrame((frame) => "epoch" in frame);

        await disrupt();
        await waitFor(async () => (await health(a)).status === 200 && (await health(b)).status === 200, {
          what: "both brokers ok",
        });
        const after: Message[] = [];
        for (let i = 0; i < 3; i++) {
          after.push(await postMessage(i % 2 ? a.url : b.url, { user: "u", text: uniqueText("after") }));
        }
        // Ids from 1 again, below those the clients have seen: only the epoch tells the new history from the old one.
        expect(after.map((m) => m.id)).toEqual([1, 2, 3]);
        for (const client of watching) {
          await expectEachOnce(client, [...before, ...after.map((m) => m.text)]);
          expect(client.epochs, client.name).toEqual([oldEpoch, a.chat.epoch]);
        }
        expect(a.chat.epoch).not.toBe(oldEpoch);
        expect(b.chat.epoch).toBe(a.chat.epoch);
        // A socket of the old history was sent back to catch up (the clients above reconnected the same way).
        const closed = await raw.waitForClose();
        expect(closed).toEqual({ code: CLOSE_NEW_HISTORY, reason: expect.stringMatching(/started again/) });
        expect(logged.some((line) => /a new history \(epoch [0-9a-f]+; Redis lost its data\)/.test(line))).toBe(true);
      } finally {
        for (const client of watching) client.stop();
        await Promise.all([a.close(), b.close()]);
      }
    },
    60_000,
  );
});
