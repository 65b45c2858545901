import type { Message } from "../shared/protocol.ts";

export type MessageListener = (message: Message) => void;

/**
 * Tells every listener (every transport, on every server instance) about a new message.
 * In one process that is a loop over a Set; across instances it is a pub/sub channel.
 */
export interface Broker {
  publish(message: Message): Promise<void>;
  subscribe(listener: MessageListener): () => void;
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

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
