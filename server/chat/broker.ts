import type { Message } from "../../shared/protocol.ts";

export type MessageListener = (message: Message) => void;
/** Told the epoch of a history that has started again (message-store.ts: History), before any of its messages. */
export type EpochListener = (epoch: string) => void;

/** "degraded": the broker lost its link to the other instances; this instance still serves its own clients. */
export type BrokerHealth = "ok" | "degraded";

/**
 * The shared store or channel (Redis) cannot be reached right now: nothing was acknowledged, try again.
 * The app answers it with 503, so a client can tell "try later" from "you sent something wrong".
 */
export class BrokerUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("broker unavailable: the shared message store cannot be reached; try again", { cause });
    this.name = "BrokerUnavailableError";
  }
}

/**
 * Tells every listener (every transport, on every server instance) about a new message.
 * In one process that is a loop over a Set; across instances it is a pub/sub channel.
 */
export interface Broker {
  publish(message: Message): Promise<void>;
  subscribe(listener: MessageListener): () => void;
  /** A new history replaces the one being delivered (a Redis that lost its data); returns the unsubscribe. */
  onNewEpoch(listener: EpochListener): () => void;
  health(): BrokerHealth;
  close(): Promise<void>;
}

export class LocalBroker implements Broker {
  private readonly listeners = new Set<MessageListener>();

  async publish(message: Message): Promise<void> {
    for (const listener of this.listeners) listener(message);
  }

  subscribe(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Never: in one process the history's epoch is the store's, and it does not change while the process runs. */
  onNewEpoch(): () => void {
    return () => {};
  }

  health(): BrokerHealth {
    return "ok";
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
