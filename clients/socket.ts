import { PATHS, type Message, type NewMessage, type ServerFrame } from "../shared/protocol.ts";

export interface SocketOptions {
  onMessage: (message: Message) => void;
  onError?: (error: string) => void;
  onStatus?: (status: "open" | "closed") => void;
  /** `ws://host:port`; in the browser, the page's own host. */
  baseUrl?: string;
  WebSocket?: typeof WebSocket;
}

/** Longest wait between reconnect attempts. */
export const MAX_RECONNECT_DELAY_MS = 10_000;

/** The lesson's `connect()`: one socket, kept open; after a drop it reconnects and resumes after the last id. */
export function connect({ onMessage, onError, onStatus, baseUrl, WebSocket = globalThis.WebSocket }: SocketOptions) {
  const url = (baseUrl ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`) + PATHS.socket;
  let socket: WebSocket;
  let lastId = 0;
  let attempts = 0;
  let stopped = false;

  function open() {
    socket = new WebSocket(`${url}?since=${lastId}`);
    socket.onopen = () => {
      attempts = 0;
      onStatus?.("open");
    };
    socket.onmessage = (event) => {
      const frame: ServerFrame = JSON.parse(event.data);
      if (frame.type === "error") return onError?.(frame.error);
      const messages = frame.type === "history" ? frame.messages : [frame.message];
      for (const message of messages) {
        if (message.id <= lastId) continue; // already shown before a reconnect
        lastId = message.id;
        onMessage(message);
      }
    };
    socket.onclose = () => {
      onStatus?.("closed");
      if (!stopped) setTimeout(open, Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempts++));
    };
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
