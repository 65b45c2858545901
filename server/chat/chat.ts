import type { Message, NewMessage } from "../../shared/protocol.ts";
import { LocalBroker, type Broker, type MessageListener } from "./broker.ts";
import { Emitter } from "./emitter.ts";
import { MemoryMessageStore, type MessageStore } from "./message-store.ts";

/** The lesson's first message, so a fresh chat is not empty. */
export const FIRST_MESSAGE: NewMessage = { user: "server", text: "first message" };

/** What the chat tells whoever measures it (the bench): `stored` on the instance that stored the message, `delivered`
 * on every instance whose transports are handed it (through the broker, so across instances with Redis). */
interface ChatEvents {
  stored: Message;
  delivered: Message;
}

/** The chat every transport shares: store a message, then tell every listener. */
export class Chat {
  readonly events = new Emitter<ChatEvents>();

  constructor(
    readonly store: MessageStore = new MemoryMessageStore(),
    readonly broker: Broker = new LocalBroker(),
  ) {
    // Subscribed first, so it runs before any transport's listener.
    broker.subscribe((message) => this.events.emit("delivered", message));
  }

  async post(input: NewMessage): Promise<Message> {
    const message = await this.store.append(input);
    this.events.emit("stored", message);
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
