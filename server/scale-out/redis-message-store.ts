import type { Message, MessageToStore } from "../../shared/protocol.ts";
import { HISTORY_LIMIT } from "../limits/history-limits.ts";
import { newEpoch, type History, type MessageStore } from "../chat/message-store.ts";
import { closeRedis, command, type RedisClient } from "./redis-connection.ts";

/**
 * The id comes from INCR and the message goes into a stream under that same id (`<id>-0`), in one script, so
 * every instance sees ids in the order they were given and no id is ever taken without its message being stored
 * (the broker relies on that to fill gaps). MAXLEN keeps the stream at the history limit, like the memory store.
 * The history's epoch (message-store.ts: History) is a key made with the counter if missing (SET NX), so a Redis
 * that lost its data (restarted empty, flushed) starts a new epoch with its new ids. Returns the id and the epoch.
 */
const APPEND = `
redis.call("SET", KEYS[3], ARGV[5], "NX")
local id = redis.call("INCR", KEYS[1])
redis.call("XADD", KEYS[2], "MAXLEN", ARGV[1], id .. "-0", "user", ARGV[2], "text", ARGV[3], "sentAt", ARGV[4], "from", ARGV[6])
return {id, redis.call("GET", KEYS[3])}`;

/** The epoch (made if missing, as in APPEND), the newest id given, and the stream's entries from ARGV[1], at once. */
const READ = `
redis.call("SET", KEYS[3], ARGV[2], "NX")
return {redis.call("GET", KEYS[3]), redis.call("GET", KEYS[1]) or "0", redis.call("XRANGE", KEYS[2], ARGV[1], "+")}`;

/** XRANGE's entries as a script returns them: `[["<id>-0", ["user", …, "text", …, "sentAt", …, "from", …]], …]`. */
type Entry = [string, string[]];

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
  private readonly epochKey: string;
  /** The epoch each message was stored in (APPEND's answer), for the broker to publish it with. */
  private readonly epochs = new WeakMap<Message, string>();
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
    this.epochKey = `${namespace}:epoch`;
    this.limit = limit;
    this.now = now;
  }

  append(input: MessageToStore): Promise<Message> {
    return this.run(APPEND, input);
  }

  restart(input: MessageToStore): Promise<Message> {
    return this.run(RESTART, input);
  }

  private async run(script: string, input: MessageToStore): Promise<Message> {
    const sentAt = this.now();
    const [id, epoch] = (await command(() =>
      this.client.eval(script, {
        keys: [this.idKey, this.streamKey, this.epochKey],
        arguments: [String(this.limit), input.user, input.text, String(sentAt), newEpoch(), input.from ?? ""],
      }),
    )) as [number, string];
    const message = {
      id: Number(id),
      user: input.user,
      text: input.text,
      sentAt,
      ...(input.from && { from: input.from }),
    };
    this.epochs.set(message, epoch);
    return message;
  }

  /** The epoch `message` was stored in, if `append` stored it here. */
  epochOf(message: Message): string | undefined {
    return this.epochs.get(message);
  }

  /**
   * The epoch and newest id this instance has handed to its live listeners; the broker sets it. `history()` shows
   * nothing newer: a message is in Redis a moment before the channel brings it here, and a client that read it as
   * history and then joined the live feed would get it twice (catch-up.ts relies on history never running ahead of
   * the feed). Without a broker (a store on its own), everything stored is shown.
   */
  shown: () => { epoch: string; id: number } | undefined = () => undefined;

  /** The epoch of what this instance has shown ("" until its broker has started). */
  get epoch(): string {
    return this.shown()?.epoch ?? "";
  }

  async since(id: number): Promise<Message[]> {
    return (await this.history(id)).messages;
  }

  async history(id: number): Promise<History> {
    const stored = await this.read(id);
    const shown = this.shown();
    if (!shown) return stored;
    // A new epoch this instance has not shown yet (its broker switches when it sees it): nothing new in the old one.
    if (stored.epoch !== shown.epoch) return { epoch: shown.epoch, messages: [] };
    return { epoch: stored.epoch, messages: stored.messages.filter((message) => message.id <= shown.id) };
  }

  /** Every stored message after `id`, broadcast here yet or not, and their epoch: what the broker catches up from. */
  async read(id: number): Promise<History> {
    return (await this.readFrom(`${id + 1}-0`)).history;
  }

  /** The epoch and the newest id given so far (0 for a new chat). */
  async head(): Promise<{ epoch: string; lastId: number }> {
    const { history, lastId } = await this.readFrom("+");
    return { epoch: history.epoch, lastId };
  }

  private async readFrom(start: string): Promise<{ history: History; lastId: number }> {
    const [epoch, lastId, entries] = (await command(() =>
      this.client.eval(READ, {
        keys: [this.idKey, this.streamKey, this.epochKey],
        arguments: [start, newEpoch()],
      }),
    )) as [string, string, Entry[]];
    const messages = entries.map(([entryId, fields]): Message => {
      const field: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) field[fields[i]!] = fields[i + 1]!; // name, value, name, value…
      return {
        id: Number(entryId.slice(0, entryId.indexOf("-"))),
        user: String(field.user),
        text: String(field.text),
        sentAt: Number(field.sentAt),
        ...(field.from === "server" || field.from === "teacher" ? { from: field.from } : {}),
      };
    });
    return { history: { epoch, messages }, lastId: Number(lastId) };
  }

  /** True for exactly one caller per chat: the instance that should post the lesson's first message. */
  async claimSeed(): Promise<boolean> {
    return (await command(() => this.client.set(this.seedKey, "1", { condition: "NX" }))) === "OK";
  }

  async close(): Promise<void> {
    await closeRedis(this.client);
  }
}
