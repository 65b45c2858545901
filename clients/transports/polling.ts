import { EPOCH_HEADER, PATHS, type Message } from "../../shared/protocol.ts";
import { trackEpoch } from "./epoch.ts";

export interface PollingOptions {
  onMessages: (messages: Message[]) => void;
  /** The server's history started again (clients/transports/epoch.ts): ids start again too. */
  onEpoch?: (epoch: string) => void;
  interval?: number;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** The lesson's loop, fixed: ask only for what is newer than the last message we saw. */
export function startPolling({
  onMessages,
  onEpoch,
  interval = 1000,
  baseUrl = "",
  fetch = globalThis.fetch,
}: PollingOptions) {
  let lastId = 0;
  const epoch = trackEpoch(onEpoch);
  let busy = false;

  async function poll() {
    if (busy) return; // a slow answer must not be asked for twice
    busy = true;
    try {
      const response = await fetch(`${baseUrl}${PATHS.messages}?since=${lastId}${epoch.param()}`);
      if (!response.ok) return; // 503 (Redis away) or 429: not a list of messages; the next tick asks again
      const messages: Message[] = await response.json();
      if (epoch.isNew(response.headers.get(EPOCH_HEADER))) lastId = 0; // a new history: these are from its start
      if (messages.length > 0) lastId = messages[messages.length - 1]!.id;
      onMessages(messages);
    } catch {
      // the server is unreachable: the next tick simply tries again
    } finally {
      busy = false;
    }
  }

  poll();
  const timer = setInterval(poll, interval);
  return () => clearInterval(timer);
}

/** The lesson's loop as on the slides: fetch everything, append everything, every second. */
export function startNaivePolling({
  onMessages,
  interval = 1000,
  baseUrl = "",
  fetch = globalThis.fetch,
}: PollingOptions) {
  async function renderMessages() {
    const response = await fetch(`${baseUrl}${PATHS.messages}`);
    const messages: Message[] = await response.json();
    onMessages(messages);
  }

  renderMessages().catch(() => {});
  const timer = setInterval(() => renderMessages().catch(() => {}), interval);
  return () => clearInterval(timer);
}
