import { PATHS, type Message, type NewMessage, type ServerFrame } from "../../shared/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { watchSilence } from "./dead-link.ts";

export interface SocketOptions {
  onMessage: (message: Message) => void;
  onError?: (error: string) => void;
  onStatus?: (status: "open" | "closed") => void;
  /** `ws://host:port`; in the browser, the page's own host. */
  baseUrl?: string;
  WebSocket?: typeof WebSocket;
  /** Silence after which the link counts as dead (clients/transports/dead-link.ts); tests pass a short one. */
  silenceTimeout?: number;
}

/** The lesson's `connect()`: one socket, kept open; after a drop it reconnects and resumes after the last id. */
export function connect({ onMessage, onError, onStatus, baseUrl, WebSocket = globalThis.WebSocket, silenceTimeout }: SocketOptions) {
  const url = (baseUrl ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`) + PATHS.socket;
  let socket: WebSocket;
  let lastId = 0;
  let attempts = 0;
  let stopped = false;

  function open() {
    socket = new WebSocket(`${url}?since=${lastId}`);
    const current = socket;
    // No frame for too long: give up on this socket (its close event may never come) and open a new one.
    const silence = watchSilence(() => {
      current.onclose = current.onmessage = null;
      current.close();
      onStatus?.("closed");
      reconnect();
    }, silenceTimeout);
    socket.onopen = () => {
      attempts = 0;
      onStatus?.("open");
    };
    socket.onmessage = (event) => {
      silence.heard();
      const frame: ServerFrame = JSON.parse(event.data);
      if (frame.type === "error") return onError?.(frame.error);
      const messages = frame.type === "history" ? frame.messages : frame.type === "message" ? [frame.message] : [];
      for (const message of messages) {
        if (message.id <= lastId) continue; // already shown before a reconnect
        lastId = message.id;
        onMessage(message);
      }
    };
    socket.onerror = () => {}; // a failed attempt is followed by close, which reconnects
    socket.onclose = () => {
      silence.stop();
      onStatus?.("closed");
      reconnect();
    };
  }

  function reconnect() {
    if (!stopped) setTimeout(open, backoffDelay(attempts++)); // a random wait, so clients do not all retry at once
  }

  open();
  return {
    send: (message: NewMessage) => socket.send(JSON.stringify(message)),
    close() {
      stopped = true;
      socket.close();
    },
  };
}
