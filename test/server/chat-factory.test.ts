import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalBroker } from "../../server/chat/broker.ts";
import type { Chat } from "../../server/chat/chat.ts";
import { createChat } from "../../server/chat-factory.ts";
import { MessageLog } from "../../server/chat/message-log.ts";
import { MemoryMessageStore } from "../../server/chat/message-store.ts";
import { RedisBroker } from "../../server/scale-out/redis-broker.ts";
import { RedisUnreachableError } from "../../server/scale-out/redis-connection.ts";
import { freePort } from "../../server/scale-out/redis-process.ts";
import { killMain, startMain, type MainProcess } from "../support/main-process.ts";
import { describeWithRedis, freshNamespace, useRedis } from "../support/redis.ts";
import { waitFor } from "../support/wait.ts";

const chats: Chat[] = [];
let main: MainProcess | undefined;
afterEach(async () => {
  await Promise.all(chats.splice(0).map((chat) => chat.close()));
  await killMain(main);
});

describe("createChat without a Redis URL", () => {
  it("is the in-process chat: memory store, local broker, the lesson's first message, always healthy", async () => {
    const chat = await createChat();
    chats.push(chat);
    expect(chat.store).toBeInstanceOf(MemoryMessageStore);
    expect(chat.broker).toBeInstanceOf(LocalBroker);
    expect((await chat.since(0)).map((m) => m.text)).toEqual(["first message"]);
    expect(chat.broker.health()).toBe("ok");
  });
});

describe("createChat with a data directory", () => {
  it("keeps the history in a log there: a second chat on the same directory continues it, ids and all", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "chat-factory-"));
    try {
      const first = await createChat({ dataDir });
      expect(first.store).toBeInstanceOf(MessageLog);
      const posted = await first.post({ user: "ada", text: "kept" });
      await first.close();
      const second = await createChat({ dataDir });
      chats.push(second);
      expect((await second.since(0)).map((m) => m.text)).toEqual(["first message", "kept"]); // seeded once only
      expect((await second.post({ user: "ada", text: "next" })).id).toBe(posted.id + 1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("Redis down at start", () => {
  it("createChat rejects with a RedisUnreachableError that says where and what to do", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const failure = createChat({ redisUrl: url });
    await expect(failure).rejects.toBeInstanceOf(RedisUnreachableError);
    await expect(failure).rejects.toThrow(
      new RegExp(`cannot reach Redis at ${url} \\(.*ECONNREFUSED.*\\)[\\s\\S]*unset REDIS_URL`),
    );
  });

  it("a REDIS_URL that is not a URL is the same clear error", async () => {
    await expect(createChat({ redisUrl: "not a url" })).rejects.toThrow(/cannot reach Redis at not a url/);
  });

  it("npm start exits with code 1 and one clear error, no stack trace", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = startMain(["--port", "0"], { REDIS_URL: url });
    const error = (await started.then(
      () => undefined,
      (failure: Error) => failure,
    ))!;
    expect(error.message).toMatch(/exited with 1 before listening/);
    expect(error.message).toMatch(new RegExp(`error: cannot reach Redis at ${url} \\(connect ECONNREFUSED`));
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});

describeWithRedis("createChat with a Redis URL", () => {
  const redis = useRedis();

  it("is a Redis chat; instances of one chat post the first message once between them", async () => {
    const namespace = freshNamespace();
    const [a, b] = await Promise.all([
      createChat({ redisUrl: redis().url, namespace, log: () => {} }),
      createChat({ redisUrl: redis().url, namespace, log: () => {} }),
    ]);
    chats.push(a, b);
    expect(a.broker).toBeInstanceOf(RedisBroker);
    // Listed once this instance's broker has brought it (history never runs ahead of the live feed).
    await waitFor(async () => (await b.since(0)).length > 0, { what: "the first message on B" });
    expect((await b.since(0)).map((m) => [m.id, m.text])).toEqual([[1, "first message"]]);
    expect(a.broker.health()).toBe("ok");
  });

  it("npm start with REDIS_URL serves the shared chat and reports the broker healthy", async () => {
    main = await startMain(["--port", "0"], { REDIS_URL: redis().url });
    expect(main.output()).toContain(`History             in Redis at ${redis().url}`);
    const response = await fetch(`${main.url}/health`);
    expect([response.status, await response.json()]).toEqual([200, { broker: "ok" }]);
  });
});
