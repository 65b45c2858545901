import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT } from "../../../server/limits/history-limits.ts";
import { MemoryMessageStore } from "../../../server/chat/message-store.ts";

const post = (store: MemoryMessageStore, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => store.append({ user: "u", text: `m${i + 1}` })));

describe("MemoryMessageStore", () => {
  it("has an epoch of its own, made when it starts, which history() answers with", async () => {
    const store = new MemoryMessageStore();
    const [first] = await post(store, 1);
    expect(store.epoch).toMatch(/^[0-9a-f]{12}$/);
    expect(await store.history(0)).toEqual({ epoch: store.epoch, messages: [first] });
    expect(new MemoryMessageStore().epoch).not.toBe(store.epoch);
  });

  it("gives strictly increasing ids and stamps sentAt from its clock", async () => {
    let clock = 1000;
    const store = new MemoryMessageStore(HISTORY_LIMIT, () => clock++);
    const messages = await post(store, 5);
    expect(messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect(messages.map((m) => m.sentAt)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(messages[0]).toEqual({ id: 1, user: "u", text: "m1", sentAt: 1000 });
  });

  it("since(id) returns only newer messages, oldest first", async () => {
    const store = new MemoryMessageStore();
    await post(store, 5);
    expect((await store.since(0)).map((m) => m.id)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.since(3)).map((m) => m.id)).toEqual([4, 5]);
    expect(await store.since(5)).toEqual([]);
    expect(await store.since(99)).toEqual([]);
  });

  it("keeps at most HISTORY_LIMIT messages, dropping the oldest, and ids keep increasing", async () => {
    const store = new MemoryMessageStore();
    const total = HISTORY_LIMIT * 3 + 7;
    await post(store, total);
    const kept = await store.since(0);
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]!.id).toBe(total - HISTORY_LIMIT + 1);
    expect(kept[kept.length - 1]!.id).toBe(total);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!.id).toBe(kept[i - 1]!.id + 1);
    // A poller whose cursor fell out of the window gets what is left, not an error.
    expect(await store.since(1)).toHaveLength(HISTORY_LIMIT);
    expect((await store.since(total - 2)).map((m) => m.id)).toEqual([total - 1, total]);
    expect((await store.append({ user: "u", text: "next" })).id).toBe(total + 1);
  });

  it("honours a smaller limit", async () => {
    const store = new MemoryMessageStore(3);
    await post(store, 10);
    expect((await store.since(0)).map((m) => m.id)).toEqual([8, 9, 10]);
  });

  it("restart() (a new chat) forgets every message and stores the new one under the next id", async () => {
    const store = new MemoryMessageStore();
    await store.append({ user: "a", text: "one" });
    await store.append({ user: "b", text: "two" });
    const fresh = await store.restart({ user: "server", text: "new chat" });
    expect(fresh.id).toBe(3);
    expect(await store.since(0)).toEqual([fresh]);
    expect((await store.append({ user: "c", text: "three" })).id).toBe(4);
  });

  it("restore() keeps the given ids, refuses ids that do not increase, and appends after them", async () => {
    const store = new MemoryMessageStore();
    store.restore([
      { id: 10, user: "a", text: "x", sentAt: 1 },
      { id: 12, user: "b", text: "y", sentAt: 2 },
    ]);
    expect(() => store.restore([{ id: 12, user: "c", text: "z", sentAt: 3 }])).toThrow(/not above 12/);
    expect((await store.append({ user: "d", text: "w" })).id).toBe(13);
    expect((await store.since(10)).map((m) => m.id)).toEqual([12, 13]);
  });
});
