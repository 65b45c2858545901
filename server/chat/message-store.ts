import type { Message, NewMessage } from "../../shared/protocol.ts";
import { HISTORY_LIMIT } from "../guard/limits.ts";

/**
 * Where messages are kept. Async, so that a store outside the process (Redis) fits the same shape.
 * Ids strictly increase; `since(id)` returns the messages newer than `id`, oldest first.
 */
export interface MessageStore {
  append(input: NewMessage): Promise<Message>;
  since(id: number): Promise<Message[]>;
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

  constructor(
    private readonly limit = HISTORY_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Puts back messages read from elsewhere (a log file, say), keeping ids as they were. */
  restore(messages: Message[]): void {
    for (const message of messages) this.push(message);
  }

  async append(input: NewMessage): Promise<Message> {
    const message = this.next(input);
    this.push(message);
    return message;
  }

  /** The message `append` would store, not stored yet: a log writes it to disk first (message-log.ts). */
  next(input: NewMessage): Message {
    return { id: this.lastId + 1, user: input.user, text: input.text, sentAt: this.now() };
  }

  async since(id: number): Promise<Message[]> {
    return this.messages.slice(this.firstIndexAfter(id));
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
