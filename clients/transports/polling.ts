import { PATHS, type Message } from "../../shared/protocol.ts";

export interface PollingOptions {
  onMessages: (messages: Message[]) => void;
  interval?: number;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** The lesson's loop, fixed: ask only for what is newer than the last message we saw. */
export function startPolling({ onMessages, interval = 1000, baseUrl = "", fetch = globalThis.fetch }: PollingOptions) {
  let lastId = 0;
  let busy = false;

  async function poll() {
    if (busy) return; // a slow answer must not be asked for twice
    busy = true;
    try {
      const response = await fetch(`${baseUrl}${PATHS.messages}?since=${lastId}`);
      if (!response.ok) return; // 503 (Redis away) or 429: not a list of messages; the next tick asks again
      const messages: Message[] = await response.json();
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
export function startNaivePolling({ onMessages, interval = 1000, baseUrl = "", fetch = globalThis.fetch }: PollingOptions) {
  async function renderMessages() {
    const response = await fetch(`${baseUrl}${PATHS.messages}`);
    const messages: Message[] = await response.json();
    onMessages(messages);
  }

  renderMessages().catch(() => {});
  const timer = setInterval(() => renderMessages().catch(() => {}), interval);
  return () => clearInterval(timer);
}
