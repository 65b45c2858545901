import { afterEach, expect, it } from "vitest";
import { BrokerUnavailableError } from "../../../server/chat/broker.ts";
import { RedisBroker } from "../../../server/scale-out/redis-broker.ts";
import { connectRedis } from "../../../server/scale-out/redis-connection.ts";
import { RedisMessageStore } from "../../../server/scale-out/redis-message-store.ts";
import type { Message } from "../../../shared/protocol.ts";
import { describeWithRedis, freshNamespace, useRedis } from "../../support/redis.ts";
import { waitFor } from "../../support/wait.ts";

/** One instance's half of the chat: its store, its broker, what its listeners received, what it logged. */
interface Instance {
  store: RedisMessageStore;
  broker: RedisBroker;
  received: Message[];
  logged: string[];
}

describeWithRedis("RedisBroker", () => {
  // Persistent, so the kill-and-restart test gets its data back, as a real Redis would.
  const redis = useRedis({ persist: true });
  const open: Instance[] = [];
  afterEach(async () => {
    for (const { broker, store } of open.splice(0)) {
      await broker.close();
      await store.close();
    }
  });

  async function instance(namespace: string): Promise<Instance> {
    const logged: string[] = [];
    const commands = await connectRedis(redis().url);
    const store = new RedisMessageStore(commands, { namespace });
    const broker = await RedisBroker.start(commands, await connectRedis(redis().url), store, {
      namespace,
      log: (line) => logged.push(line),
    });
    const received: Message[] = [];
    broker.subscribe((message) => received.push(message));
    const created = { store, broker, received, logged };
    open.push(created);
    return created;
  }

  const ids = (messages: Message[]) => messages.map((m) => m.id);

  it("a message published on A reaches A's and B's listeners once each, and not before it was stored", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace);
    const message = await a.store.append({ user: "ada", text: "hi" });
    await a.broker.publish(message);
    await waitFor(() => a.received.length === 1 && b.received.length === 1, { what: "both instances" });
    const later = await b.store.append({ user: "bob", text: "yo" });
    await b.broker.publish(later);
    await waitFor(() => a.received.length === 2 && b.received.length === 2, { what: "the second message" });
    expect(a.received).toEqual([message, later]);
    expect(b.received).toEqual([message, later]);
  });

  it("starts after the newest stored id: history is the store's job, not the broker's", async () => {
    const namespace = freshNamespace();
    const writer = await instance(namespace);
    await writer.broker.publish(await writer.store.append({ user: "u", text: "old" }));
    const late = await instance(namespace);
    const next = await writer.store.append({ user: "u", text: "new" });
    await writer.broker.publish(next);
    await waitFor(() => late.received.length === 1, { what: "the new message" });
    expect(late.received).toEqual([next]);
  });

  it("fills a gap from the store: ids published out of order are delivered in order, each once", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const first = await a.store.append({ user: "u", text: "1" });
    const second = await a.store.append({ user: "u", text: "2" });
    // Another instance's publish of `first` is slower than ours of `second`.
    await a.broker.publish(second);
    await waitFor(() => a.received.length === 2, { what: "the gap to be filled" });
    await a.broker.publish(first);
    const third = await a.store.append({ user: "u", text: "3" });
    await a.broker.publish(third);
    await waitFor(() => a.received.length === 3, { what: "the third message" });
    expect(a.received).toEqual([first, second, third]);
  });

  it("the store shows as history only what this instance's broker has handed over", async () => {
    const a = await instance(freshNamespace());
    const stored = await a.store.append({ user: "u", text: "in flight" });
    expect(await a.store.since(0)).toEqual([]);
    expect(await a.store.read(0)).toEqual({ epoch: a.store.epoch, messages: [stored] });
    await a.broker.publish(stored);
    await waitFor(() => a.received.length === 1, { what: "the delivery" });
    expect(await a.store.since(0)).toEqual([stored]);
  });

  it("a listener that unsubscribed gets nothing more", async () => {
    const a = await instance(freshNamespace());
    const seen: Message[] = [];
    const unsubscribe = a.broker.subscribe((message) => seen.push(message));
    await a.broker.publish(await a.store.append({ user: "u", text: "1" }));
    await waitFor(() => seen.length === 1, { what: "the first message" });
    unsubscribe();
    await a.broker.publish(await a.store.append({ user: "u", text: "2" }));
    await waitFor(() => a.received.length === 2, { what: "the second message" });
    expect(ids(seen)).toEqual([1]);
  });

  it("a message published while the subscriptions were cut is fetched from the store when they are renewed", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace);
    const admin = await connectRedis(redis().url);
    try {
      const missed = await a.store.append({ user: "u", text: "nobody was listening" });
      // Cut only the subscribed connections (as in a network blip) and publish in the same transaction, before they
      // can come back: the PUBLISH reaches nobody.
      const [, receivers] = await admin
        .multi()
        .addCommand(["CLIENT", "KILL", "TYPE", "pubsub"])
        .addCommand(["PUBLISH", `${namespace}:new-messages`, JSON.stringify(missed)])
        .exec();
      expect(receivers).toBe(0);
      await waitFor(() => a.received.length === 1 && b.received.length === 1, { what: "the catch-up on both" });
      expect(a.received).toEqual([missed]);
      expect(b.received).toEqual([missed]);
      await waitFor(() => a.broker.health() === "ok" && b.broker.health() === "ok", { what: "both brokers ok" });
      expect(b.logged.join("\n")).toMatch(/resubscribed, 1 missed message\(s\) broadcast/);
    } finally {
      await admin.close();
    }
  });

  it("Redis lost: degraded, publish refused; Redis back: resubscribed, ok, and what was missed is delivered", async () => {
    const namespace = freshNamespace();
    const a = await instance(namespace);
    const b = await instance(namespace);
    await a.broker.publish(await a.store.append({ user: "u", text: "before" }));
    await waitFor(() => b.received.length === 1, { what: "the first message on B" });
    expect([a.broker.health(), b.broker.health()]).toEqual(["ok", "ok"]);

    await redis().kill();
    await waitFor(() => a.broker.health() === "degraded" && b.broker.health() === "degraded", { what: "degraded" });
    await expect(a.broker.publish({ id: 99, user: "u", text: "x", sentAt: 0 })).rejects.toBeInstanceOf(
      BrokerUnavailableError,
    );
    await expect(a.store.append({ user: "u", text: "x" })).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(b.logged.join("\n")).toMatch(/redis: connection lost .*degraded/);

    await redis().restart();
    // Published while B's subscription may still be down: B must get it from the store when it catches up.
    await waitFor(() => a.broker.health() === "ok", { what: "A to recover", timeoutMs: 15_000 });
    const during = await a.store.append({ user: "u", text: "while B was away" });
    await a.broker.publish(during);
    await waitFor(() => b.broker.health() === "ok", { what: "B to recover", timeoutMs: 15_000 });
    await waitFor(() => b.received.length === 2, { what: "B to catch up" });
    expect(ids(b.received)).toEqual([1, 2]);
    expect(b.logged.join("\n")).toMatch(/redis: connection back; resubscribed/);

    const after = await b.store.append({ user: "u", text: "after" });
    await b.broker.publish(after);
    await waitFor(() => a.received.length === 3 && b.received.length === 3, { what: "a message after recovery" });
    expect(ids(a.received)).toEqual([1, 2, 3]);
    expect(ids(b.received)).toEqual([1, 2, 3]);
  });
});
