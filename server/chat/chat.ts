import type { Message, NewMessage } from "../../shared/protocol.ts";
import { LocalBroker, type Broker, type MessageListener } from "./broker.ts";
import { MemoryMessageStore, type MessageStore } from "./message-store.ts";

/** The lesson's first message, so a fresh chat is not empty. */
export const FIRST_MESSAGE: NewMessage = { user: "server", text: "first message" };

/** The chat every transport shares: store a message, then tell every listener. */
export class Chat {
  constructor(
    readonly store: MessageStore = new MemoryMessageStore(),
    readonly broker: Broker = new LocalBroker(),
  ) {}

  /** A chat in memory that starts, like the lesson, with "first message". */
  static async inMemory(): Promise<Chat> {
    const chat = new Chat();
    await chat.post(FIRST_MESSAGE);
    return chat;
  }

  async post(input: NewMessage): Promise<Message> {
    const message = await this.store.append(input);
    await this.broker.publish(message);
    return message;
  }

  since(id: number): Promise<Message[]> {
    return this.store.since(id);
  }

  subscribe(listener: MessageListener): () => void {
    return this.broker.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.broker.close();
    await this.store.close();
  }
}
