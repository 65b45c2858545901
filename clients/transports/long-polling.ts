import { PATHS, type Message } from "../../shared/protocol.ts";
import { backoffDelay } from "./backoff.ts";

export interface LongPollingOptions {
  onMessages: (messages: Message[]) => void;
  onStatus?: (status: "waiting" | "retrying") => void;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Long polling: ask, and the server holds the answer until there is a message (or 25 s pass, then `[]`);
 * ask again at once with the last id. After an error, wait longer each time (a random part of it) before asking again.
 */
export function startLongPolling({ onMessages, onStatus, baseUrl = "", fetch = globalThis.fetch }: LongPollingOptions) {
  const stopped = new AbortController();
  let lastId = 0;
  let failures = 0;

  async function loop() {
    while (!stopped.signal.aborted) {
      try {
        onStatus?.("waiting");
        const response = await fetch(`${baseUrl}${PATHS.wait}?since=${lastId}`, { signal: stopped.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const messages: Message[] = await response.json();
        if (messages.length > 0) lastId = messages[messages.length - 1]!.id;
        onMessages(messages);
        failures = 0;
      } catch {
        if (stopped.signal.aborted) return;
        onStatus?.("retrying");
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures++)));
      }
    }
  }

  loop();
  return () => stopped.abort();
}
