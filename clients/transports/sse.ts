import { PATHS, type Message } from "../../shared/protocol.ts";

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
  onStatus?: (status: "open" | "reconnecting" | "closed") => void;
  baseUrl?: string;
  EventSource?: new (url: string) => EventSourceLike;
}

/**
 * Server-Sent Events: one response that never ends, one `data:` line per message. The browser's EventSource
 * reconnects by itself and sends `Last-Event-ID`, so the server resumes exactly where the stream broke.
 */
export function listen({ onMessage, onStatus, baseUrl = "", EventSource = globalThis.EventSource }: SseOptions) {
  const source = new EventSource(`${baseUrl}${PATHS.events}`);
  source.onmessage = (event) => onMessage(JSON.parse(event.data));
  source.onopen = () => onStatus?.("open");
  // CONNECTING after an error: the browser is already retrying; CLOSED: it gave up (an error status, say).
  source.onerror = () => onStatus?.(source.readyState === 2 ? "closed" : "reconnecting");
  return () => source.close();
}
