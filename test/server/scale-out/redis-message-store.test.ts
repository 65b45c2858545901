import { afterEach, expect, it } from "vitest";
import { connectRedis } from "../../../server/scale-out/redis-connection.ts";
import { RedisMessageStore, type RedisStoreOptions } from "../../../server/scale-out/redis-message-store.ts";
import { describeWithRedis, freshNamespace, useRedis } from "../../support/redis.ts";

describeWithRedis("RedisMessageStore", () => {
  const redis = useRedis();
  const stores: RedisMessageStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  async function openStore(options: RedisStoreOptions = {}): Promise<RedisMessageStore> {
    const store = new RedisMessageStore(await connectRedis(redis().url), { namespace: freshNamespace(), ...options });
    stores.push(store);
    return store;
  }

  const post = (store: RedisMessageStore, count: number, from = 1) =>
    Promise.all(Array.from({ length: count }, (_, i) => store.append({ user: "u", text: `m${from + i}` })));

  it("gives ids 1, 2, 3… from INCR and stamps sentAt from its clock", async () => {
    let clock = 1000;
    const store = await openStore({ now: () => clock++ });
    expect(await store.head()).toEqual({ epoch: expect.stringMatching(/^[0-9a-f]{12}$/), lastId: 0 });
    const first = await store.append({ user: "ada", text: "hello" });
    expect(first).toEqual({ id: 1, user: "ada", text: "hello", sentAt: 1000 });
    await post(store, 4);
    expect((await store.head()).lastId).toBe(5);
    expect((await store.since(0))[0]).toEqual(first);
  });

  it("keeps the server's mark (from) in the stream; a student's message has none", async () => {
    const store = await openStore();
    const marked = await store.append({ user: "Ms A", text: "teacher", from: "teacher" });
    const plain = await store.append({ user: "teacher", text: "a student" });
    expect((await store.history(0)).messages).toEqual([marked, plain]);
    expect(marked.from).toBe("teacher");
    expect(plain).not.toHaveProperty("from");
  });

  it("restart() (a new chat) empties the stream and keeps the INCR key: the ids go on", async () => {
    const store = await openStore();
    await post(store, 3);
    const fresh = await store.restart({ user: "server", text: "new chat" });
    expect(fresh.id).toBe(4);
    expect((await store.since(0)).map((m) => m.id)).toEqual([4]);
    expect((await store.append({ user: "u", text: "after" })).id).toBe(5);
  });

  it("since(id) returns exactly the newer messages, oldest first", async () => {
    const store = await openStore();
    await post(store, 5);
    expect((await store.since(0)).map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.since(3)).map((m) => m.id)).toEqual([4, 5]);
    expect(await store.since(5)).toEqual([]);
    expect(await store.since(99)).toEqual([]);
  });

  it("keeps text as sent: unicode, quotes, JSON-looking text", async () => {
    const store = await openStore();
    const texts = ['{"id": 99}', 'çay ☕ — "quoted"\nnew line', "  spaced  ", "0", "text", "user", "sentAt"];
    for (const text of texts) await store.append({ user: "ğüşiöç", text });
    expect((await store.since(0)).map((m) => [m.user, m.text])).toEqual(texts.map((text) => ["ğüşiöç", text]));
  });

  it("keeps the newest `limit` messages, and ids keep increasing past the trim", async () => {
    const store = await openStore({ limit: 5 });
    await post(store, 12);
    expect((await store.since(0)).map((m) => m.id)).toEqual([8, 9, 10, 11, 12]);
    expect((await store.since(2)).map((m) => m.id)).toEqual([8, 9, 10, 11, 12]);
    expect((await store.append({ user: "u", text: "next" })).id).toBe(13);
  });

  it("two stores on the same chat (two instances) share ids and history", async () => {
    const namespace = freshNamespace();
    const a = await openStore({ namespace });
    const b = await openStore({ namespace });
    await post(a, 10);
    await Promise.all([post(a, 20, 100), post(b, 20, 200)]);
    const all = await b.since(0);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await a.since(40)).toEqual(all.slice(40));
  });

  it("the epoch is made with the counter, shared by every store of the chat, and new once Redis lost the data", async () => {
    const namespace = freshNamespace();
    const a = await openStore({ namespace });
    const b = await openStore({ namespace });
    const first = await a.append({ user: "u", text: "one" });
    const { epoch } = await a.head();
    expect(await b.read(0)).toEqual({ epoch, messages: [first] });
    expect(a.epochOf(first)).toBe(epoch);
    const admin = await connectRedis(redis().url);
    await admin.del([`${namespace}:epoch`, `${namespace}:last-id`, `${namespace}:messages`]); // as a restart empty
    await admin.close();
    const again = await b.append({ user: "u", text: "one again" });
    expect(again.id).toBe(1);
    expect(b.epochOf(again)).not.toBe(epoch);
    expect(await a.head()).toEqual({ epoch: b.epochOf(again), lastId: 1 });
  });

  it("claimSeed() is true once per chat", async () => {
    const namespace = freshNamespace();
    const a = await openStore({ namespace });
    const b = await openStore({ namespace });
    const claims = await Promise.all([a.claimSeed(), b.claimSeed(), a.claimSeed()]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
