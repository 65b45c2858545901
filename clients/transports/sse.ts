import { PATHS, type Message } from "../../shared/protocol.ts";
import { trackEpoch } from "./epoch.ts";

/** What this client needs of an EventSource: the browser's, or the `eventsource` package's in Node (bench/, tests). */
export interface EventSourceLike {
  onmessage: ((event: MessageEvent) => unknown) | null;
  onopen: ((event: Event) => unknown) | null;
  onerror: ((event: Event) => unknown) | null;
  readonly readyState: number;
  close(): void;
}

export interface SseOptions {
  onMessage: (message: Message) => void;
  /** The server's history started again (clients/transports/epoch.ts): ids start again too. */
  onEpoch?: (epoch: string) => void;
  onStatus?: (status: "open" | "reconnecting" | "closed") => void;
  baseUrl?: string;
  EventSource?: new (url: string) => EventSourceLike;
}

/**
 * Server-Sent Events: one response that never ends, one `data:` line per message. The browser's EventSource
 * reconnects by itself and sends `Last-Event-ID` (`<epoch>-<id>`), so the server resumes exactly where the stream
 * broke, or from the start of a new history.
 */
export function listen({
  onMessage,
  onEpoch,
  onStatus,
  baseUrl = "",
  EventSource = globalThis.EventSource,
}: SseOptions) {
  const source = new EventSource(`${baseUrl}${PATHS.events}`);
  const epoch = trackEpoch(onEpoch);
  source.onmessage = (event) => {
    epoch.isNew(event.lastEventId.split("-")[0]); // only to tell onEpoch: the server already sent the new history
    onMessage(JSON.parse(event.data));
  };
  source.onopen = () => onStatus?.("open");
  // CONNECTING after an error: the browser is already retrying; CLOSED: it gave up (an error status, say).
  source.onerror = () => onStatus?.(source.readyState === 2 ? "closed" : "reconnecting");
  return () => source.close();
}
