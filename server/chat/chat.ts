import type { Message, MessageToStore } from "../../shared/protocol.ts";
import { LocalBroker, type Broker, type EpochListener, type MessageListener } from "./broker.ts";
import { Emitter } from "./emitter.ts";
import { MemoryMessageStore, type History, type MessageStore } from "./message-store.ts";

/** The lesson's first message, so a fresh chat is not empty. */
export const FIRST_MESSAGE: MessageToStore = { user: "server", text: "first message", from: "server" };
/** The first message of a chat the teacher started anew (server/class/teacher-routes.ts). */
export const NEW_CHAT_MESSAGE: MessageToStore = { user: "server", text: "new chat", from: "server" };

/** What the chat tells whoever measures it (the bench): `stored` on the instance that stored the message, `delivered`
 * on every instance whose transports are handed it (through the broker, so across instances with Redis). */
/** An answer to "what came after `since`?": the messages, their history's epoch, and the id they count from. */
export interface Page extends History {
  /** The `since` asked for, or 0 when it counted in another epoch (then the page starts at the history's start). */
  since: number;
}

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

  async post(input: MessageToStore): Promise<Message> {
    return this.tell(await this.store.append(input));
  }

  /**
   * A new chat: the history is forgotten and NEW_CHAT_MESSAGE stored under the next id, then sent to everyone, so
   * open clients (whose last id is below it) take it as any new message and keep working.
   */
  async restart(): Promise<Message> {
    return this.tell(await this.store.restart(NEW_CHAT_MESSAGE));
  }

  private async tell(message: Message): Promise<Message> {
    this.events.emit("stored", message);
    await this.broker.publish(message);
    return message;
  }

  since(id: number): Promise<Message[]> {
    return this.store.since(id);
  }

  /** The epoch of the history the live feed is in (message-store.ts: History). */
  get epoch(): string {
    return this.store.epoch;
  }

  /** The epoch a message `post` returned was stored in. */
  epochOf(message: Message): string {
    return this.store.epochOf?.(message) ?? this.epoch;
  }

  /**
   * The messages after `since`, with their epoch. `epoch` is the one the asker's `since` counts in: if it is another
   * (the server restarted with `--memory`, Redis lost its data), its ids mean nothing here, and the page starts at
   * the history's first message.
   */
  async history(since: number, epoch?: string): Promise<Page> {
    const page = await this.store.history(since);
    if (epoch === undefined || epoch === page.epoch || since === 0) return { ...page, since };
    return { ...(await this.store.history(0)), since: 0 };
  }

  subscribe(listener: MessageListener): () => void {
    return this.broker.subscribe(listener);
  }

  /** Called with the new epoch when the history starts again under the live feed (a Redis that lost its data). */
  onNewEpoch(listener: EpochListener): () => void {
    return this.broker.onNewEpoch(listener);
  }

  async close(): Promise<void> {
    await this.broker.close();
    await this.store.close();
  }
}
