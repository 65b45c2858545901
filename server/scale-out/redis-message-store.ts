import type { Message, NewMessage } from "../../shared/protocol.ts";
import { HISTORY_LIMIT } from "../guard/limits.ts";
import type { MessageStore } from "../chat/message-store.ts";
import { closeRedis, command, type RedisClient } from "./redis-connection.ts";

/**
 * The id comes from INCR and the message goes into a stream under that same id (`<id>-0`), in one script, so
 * every instance sees ids in the order they were given and no id is ever taken without its message being stored
 * (the broker relies on that to fill gaps). MAXLEN keeps the stream at the history limit, like the memory store.
 */
const APPEND = `
local id = redis.call("INCR", KEYS[1])
redis.call("XADD", KEYS[2], "MAXLEN", ARGV[1], id .. "-0", "user", ARGV[2], "text", ARGV[3], "sentAt", ARGV[4])
return id`;

/** A new chat: the stream is emptied and the new first message added, in one script; the INCR key is kept. */
const RESTART = `
redis.call("DEL", KEYS[2])
${APPEND}`;

export interface RedisStoreOptions {
  /** Prefix of the keys, so several chats (or tests) can share one Redis. */
  namespace?: string;
  limit?: number;
  now?: () => number;
}

/** The chat's history in Redis: every instance answers `GET /messages?since=` from the same place. */
export class RedisMessageStore implements MessageStore {
  private readonly idKey: string;
  private readonly streamKey: string;
  private readonly seedKey: string;
  private readonly limit: number;
  private readonly now: () => number;

  /** Takes over `client`: `close()` closes it. */
  constructor(
    private readonly client: RedisClient,
    { namespace = "chat", limit = HISTORY_LIMIT, now = Date.now }: RedisStoreOptions = {},
  ) {
    this.idKey = `${namespace}:last-id`;
    this.streamKey = `${namespace}:messages`;
    this.seedKey = `${namespace}:seeded`;
    this.limit = limit;
    this.now = now;
  }

  append(input: NewMessage): Promise<Message> {
    return this.run(APPEND, input);
  }

  restart(input: NewMessage): Promise<Message> {
    return this.run(RESTART, input);
  }

  private async run(script: string, input: NewMessage): Promise<Message> {
    const sentAt = this.now();
    const id = await command(() =>
      this.client.eval(script, {
        keys: [this.idKey, this.streamKey],
        arguments: [String(this.limit), input.user, input.text, String(sentAt)],
      }),
    );
    return { id: Number(id), user: input.user, text: input.text, sentAt };
  }

  /**
   * The newest id this instance has handed to its live listeners; the broker sets it. `since()` shows nothing newer:
   * a message is in Redis a moment before the channel brings it here, and a client that read it as history and then
   * joined the live feed would get it twice (catch-up.ts relies on history never running ahead of the feed).
   */
  shownUpTo: () => number = () => Infinity;

  async since(id: number): Promise<Message[]> {
    const stored = await this.read(id);
    const shown = this.shownUpTo();
    return stored.filter((message) => message.id <= shown);
  }

  /** Every stored message after `id`, broadcast here yet or not: what the broker catches up from. */
  async read(id: number): Promise<Message[]> {
    const entries = await command(() => this.client.xRange(this.streamKey, `${id + 1}-0`, "+"));
    return (entries ?? []).map(({ id: entryId, message }) => ({
      id: Number(entryId.slice(0, entryId.indexOf("-"))),
      user: String(message.user),
      text: String(message.text),
      sentAt: Number(message.sentAt),
    }));
  }

  /** The newest id given so far (0 for a new chat). */
  async lastId(): Promise<number> {
    return Number((await command(() => this.client.get(this.idKey))) ?? 0);
  }

  /** True for exactly one caller per chat: the instance that should post the lesson's first message. */
  async claimSeed(): Promise<boolean> {
    return (await command(() => this.client.set(this.seedKey, "1", { condition: "NX" }))) === "OK";
  }

  async close(): Promise<void> {
    await closeRedis(this.client);
  }
}
