import { EPOCH_HEADER, PATHS, type Message } from "../../shared/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { trackEpoch } from "./epoch.ts";

export interface LongPollingOptions {
  onMessages: (messages: Message[]) => void;
  /** The server's history started again (clients/transports/epoch.ts): ids start again too. */
  onEpoch?: (epoch: string) => void;
  onStatus?: (status: "waiting" | "retrying") => void;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Long polling: ask, and the server holds the answer until there is a message (or 25 s pass, then `[]`);
 * ask again at once with the last id. After an error, wait longer each time (a random part of it) before asking again.
 */
export function startLongPolling({
  onMessages,
  onEpoch,
  onStatus,
  baseUrl = "",
  fetch = globalThis.fetch,
}: LongPollingOptions) {
  const stopped = new AbortController();
  let lastId = 0;
  const epoch = trackEpoch(onEpoch);
  let failures = 0;

  async function loop() {
    while (!stopped.signal.aborted) {
      try {
        onStatus?.("waiting");
        const url = `${baseUrl}${PATHS.wait}?since=${lastId}${epoch.param()}`;
        const response = await fetch(url, { signal: stopped.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const messages: Message[] = await response.json();
        if (epoch.isNew(response.headers.get(EPOCH_HEADER))) lastId = 0; // a new history: these are from its start
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
