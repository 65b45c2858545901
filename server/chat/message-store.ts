import type { Message, MessageToStore } from "../../shared/protocol.ts";
import { HISTORY_LIMIT } from "../limits/history-limits.ts";

/**
 * Messages and the epoch of the history they belong to. An epoch is a random id made when a history starts (a server
 * started with `--memory`, a new log file, a Redis that lost its data) and kept with it; ids count up within one
 * epoch, and start again in a new one. A client that sees a new epoch forgets its last id and catches up from the
 * start.
 */
export interface History {
  epoch: string;
  messages: Message[];
}

/** A new epoch: 48 random bits, as 12 hex digits (short, since every SSE event carries it in its `id:`). */
export function newEpoch(): string {
  return crypto.randomUUID().slice(-12);
}

/** What an epoch may look like: it goes into headers and SSE `id:` lines, so letters and digits only. */
export const EPOCH_PATTERN = /^[0-9a-z]{1,32}$/i;

/**
 * Where messages are kept. Async, so that a store outside the process (Redis) fits the same shape.
 * Ids strictly increase; `since(id)` returns the messages newer than `id`, oldest first; `history(id)` the same with
 * their epoch, which `epoch` also names (for Redis: the epoch of what this instance has shown its clients).
 */
export interface MessageStore {
  readonly epoch: string;
  append(input: MessageToStore): Promise<Message>;
  since(id: number): Promise<Message[]>;
  /**
   * A new chat: forgets every message and stores `input` as the only one, with the next id (ids never go back, so
   * open clients keep working); all or nothing where the store can (a log's rewrite, a Redis script).
   */
  restart(input: MessageToStore): Promise<Message>;
  history(id: number): Promise<History>;
  /** The epoch a message `append` returned was stored in, where it may not be `epoch` (Redis: another instance's). */
  epochOf?(message: Message): string | undefined;
  close(): Promise<void>;
}

/**
 * A store that could not keep a message (disk full, a short write): nothing was stored, and the client is told so
 * (500 on POST, an error frame on the socket) rather than acknowledged.
 */
export class NotStoredError extends Error {}

/** The lesson's `const messages = ["first message"]`, with ids and a bound. */
export class MemoryMessageStore implements MessageStore {
  private readonly messages: Message[] = [];
  private lastId = 0;

  /** `epoch`: a new one, unless the history is read back from elsewhere with its own (message-log.ts). */
  constructor(
    private readonly limit = HISTORY_LIMIT,
    private readonly now: () => number = Date.now,
    readonly epoch = newEpoch(),
  ) {}

  /** Puts back messages read from elsewhere (a log file, say), keeping ids as they were. */
  restore(messages: Message[]): void {
    for (const message of messages) this.push(message);
  }

  async append(input: MessageToStore): Promise<Message> {
    const message = this.next(input);
    this.push(message);
    return message;
  }

  /** The message `append` would store, not stored yet: a log writes it to disk first (message-log.ts). */
  next(input: MessageToStore): Message {
    const { user, text, from } = input;
    return { id: this.lastId + 1, user, text, sentAt: this.now(), ...(from && { from }) };
  }

  async since(id: number): Promise<Message[]> {
    return this.messages.slice(this.firstIndexAfter(id));
  }

  /** The messages kept, now: a log's compaction takes them without waiting, so no append slips in between. */
  kept(): Message[] {
    return this.messages.slice(this.firstIndexAfter(0));
  }

  async restart(input: MessageToStore): Promise<Message> {
    this.clear();
    return this.append(input);
  }

  /** Forgets every message; `lastId` stays, so the next id goes on from it. */
  clear(): void {
    this.messages.length = 0;
  }

  async history(id: number): Promise<History> {
    return { epoch: this.epoch, messages: await this.since(id) };
  }

  async close(): Promise<void> {}

  /** Stores a message made by `next` (or read back from a log): its id must be above every id kept. */
  push(message: Message): void {
    if (message.id <= this.lastId) throw new Error(`message id ${message.id} is not above ${this.lastId}`);
    this.messages.push(message);
    this.lastId = message.id;
    // Dropping in batches keeps the cost of `shift` off the hot path.
    if (this.messages.length > this.limit * 1.1) this.messages.splice(0, this.messages.length - this.limit);
  }

  /** Binary search: pollers ask this every interval, so it must not scan the whole history. */
  private firstIndexAfter(id: number): number {
    const start = Math.max(0, this.messages.length - this.limit);
    let low = start;
    let high = this.messages.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.messages[mid]!.id <= id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
