import type { Message } from "../../shared/protocol.ts";
import type { Broker, BrokerHealth, EpochListener, MessageListener } from "../chat/broker.ts";
import { REDIS_CATCH_UP_RETRY_MS } from "../limits/redis-limits.ts";
import { closeRedis, command, type RedisClient } from "./redis-connection.ts";
import type { RedisMessageStore } from "./redis-message-store.ts";

export interface RedisBrokerOptions {
  /** The channel is `<namespace>:new-messages`; the same namespace as the store's keys. */
  namespace?: string;
  /** Where outage and recovery lines go. */
  log?: (line: string) => void;
}

/**
 * Pub/sub across instances: `publish` sends the message on a Redis channel, and every instance (this one too)
 * hands what arrives on it to its own listeners: sockets, event streams, held long polls. A message posted here
 * comes back through the channel like any other, so each listener gets it exactly once.
 *
 * Listeners get ids in order with none skipped. Two instances may publish 5 and 6 in the wrong order, and while
 * Redis is away nothing arrives at all; either way a gap is filled from the store, which has every message whose
 * id was given (the store's script takes the id and stores the message in one step). The other way round, the
 * store lists as history only what this broker has handed over (`store.shownUpTo`), so a client reading history
 * and then joining the live feed cannot get a message both ways.
 *
 * Each message on the channel carries its history's epoch. A Redis that lost its data (restarted empty, flushed)
 * gives ids from 1 again under a new epoch: the broker tells its epoch listeners first (the transports then send
 * their clients back to catch up from the start), then hands over the new history from its first message.
 */
export class RedisBroker implements Broker {
  private readonly listeners = new Set<MessageListener>();
  private readonly epochListeners = new Set<EpochListener>();
  private readonly channel: string;
  private readonly log: (line: string) => void;
  /** The epoch of the history this instance hands over, and the newest id it has handed to its listeners. */
  private epoch = "";
  private lastId = 0;
  /** Deliveries and catch-ups, one at a time, so listeners see ids in order. */
  private queue: Promise<void> = Promise.resolve();
  /** The link to Redis was lost and what was published meanwhile has not been fetched yet. */
  private behind = false;
  private recovering = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly store: RedisMessageStore,
    { namespace = "chat", log = console.log }: RedisBrokerOptions,
  ) {
    this.channel = `${namespace}:new-messages`;
    this.log = log;
  }

  /**
   * Subscribes (on `subscriber`, a connection of its own: a subscribed connection can run no other command) and
   * starts after the store's newest id. Publishes on `publisher`, which the store owns. Takes over `subscriber`.
   */
  static async start(
    publisher: RedisClient,
    subscriber: RedisClient,
    store: RedisMessageStore,
    options: RedisBrokerOptions = {},
  ): Promise<RedisBroker> {
    const broker = new RedisBroker(publisher, subscriber, store, options);
    // Messages that arrive before the newest id is known wait behind it in the queue.
    let started!: () => void;
    broker.queue = new Promise((resolve) => (started = resolve));
    await command(() => subscriber.subscribe(broker.channel, (json) => broker.enqueue(() => broker.receive(json))));
    ({ epoch: broker.epoch, lastId: broker.lastId } = await store.head());
    store.shown = () => ({ epoch: broker.epoch, id: broker.lastId });
    started();
    for (const client of [publisher, subscriber]) {
      client.on("error", (error: Error) => broker.lost(error));
      client.on("ready", () => broker.recover());
    }
    return broker;
  }

  async publish(message: Message): Promise<void> {
    const epoch = this.store.epochOf(message) ?? this.epoch;
    await command(() => this.publisher.publish(this.channel, JSON.stringify({ epoch, message } satisfies Published)));
  }

  subscribe(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onNewEpoch(listener: EpochListener): () => void {
    this.epochListeners.add(listener);
    return () => this.epochListeners.delete(listener);
  }

  health(): BrokerHealth {
    return this.behind || !this.publisher.isReady || !this.subscriber.isReady ? "degraded" : "ok";
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.listeners.clear();
    this.epochListeners.clear();
    await closeRedis(this.subscriber);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      // A gap could not be filled (Redis went away mid-way): catch up once the link works again.
      this.lost(error instanceof Error ? error : new Error(String(error)));
      this.retryTimer = setTimeout(() => this.recover(), REDIS_CATCH_UP_RETRY_MS);
    });
  }

  private async receive(json: string): Promise<void> {
    const { epoch, message } = JSON.parse(json) as Published;
    if (epoch !== this.epoch)
      await this.catchUp(); // a new history (or a late one from the old): the store decides
    else if (message.id === this.lastId + 1) this.deliver([message]);
    else if (message.id > this.lastId) await this.catchUp();
    // else: already handed over by a catch-up
  }

  /**
   * Hands every stored message after `lastId` to the listeners; returns how many. If the store's epoch is not ours,
   * its history started again: the epoch listeners are told, then it is handed over from its first message.
   */
  private async catchUp(): Promise<number> {
    let { epoch, messages } = await this.store.read(this.lastId);
    if (epoch !== this.epoch) {
      ({ epoch, messages } = await this.store.read(0));
      this.log(`redis: a new history (epoch ${epoch}; Redis lost its data): clients catch up from its first message`);
      this.epoch = epoch;
      this.lastId = 0;
      for (const listener of this.epochListeners) listener(epoch);
    }
    return this.deliver(messages);
  }

  private deliver(messages: Message[]): number {
    let count = 0;
    for (const message of messages) {
      if (message.id <= this.lastId) continue;
      this.lastId = message.id;
      count++;
      for (const listener of this.listeners) listener(message);
    }
    return count;
  }

  private lost(error: Error): void {
    if (this.closed || this.behind) return;
    this.behind = true;
    this.log(
      `redis: connection lost (${error.message || error.name}); broker degraded until it is back: this instance ` +
        "keeps its own clients, and posts get 503 while Redis cannot be reached",
    );
  }

  /** Once both connections work again (the client has renewed the subscription), fetch what was published meanwhile. */
  private recover(): void {
    if (this.closed || !this.behind || this.recovering) return;
    if (!this.publisher.isReady || !this.subscriber.isReady) return; // the other connection's "ready" calls again
    this.recovering = true;
    this.queue = this.queue.then(async () => {
      try {
        const count = await this.catchUp();
        this.behind = false;
        this.log(`redis: connection back; resubscribed, ${count} missed message(s) broadcast; broker ok`);
      } catch {
        this.retryTimer = setTimeout(() => this.recover(), REDIS_CATCH_UP_RETRY_MS);
      } finally {
        this.recovering = false;
      }
    });
  }
}

/** What goes on the channel: a message and the epoch of the history it was stored in. */
interface Published {
  epoch: string;
  message: Message;
}
