import {
  type ErrorCode,
  isMessageFrame,
  PATHS,
  type Message,
  type NewMessage,
  type ServerFrame,
} from "../../shared/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { watchSilence } from "./dead-link.ts";
import { trackEpoch } from "./epoch.ts";

export interface SocketOptions {
  onMessage: (message: Message) => void;
  /** The server's history started again (clients/transports/epoch.ts): ids start again too. */
  onEpoch?: (epoch: string) => void;
  /** The server refused a frame: its code (shared/protocol.ts), which the page words in its reader's language. */
  onError?: (code: ErrorCode) => void;
  onStatus?: (status: "open" | "closed") => void;
  /** `ws://host:port`; in the browser, the page's own host. */
  baseUrl?: string;
  WebSocket?: typeof WebSocket;
  /** Silence after which the link counts as dead (clients/transports/dead-link.ts); tests pass a short one. */
  silenceTimeout?: number;
  /** The wait before retry number `attempt` (default backoffDelay); the storm passes one that notes each draw. */
  retryDelay?: (attempt: number) => number;
}

/** `ws://host:port/ws`: the page's own host in the browser, unless told otherwise. */
const socketUrl = (baseUrl?: string) =>
  (baseUrl ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`) + PATHS.socket;

/**
 * The lesson's `connect()` as on the slides: one socket, each message shown as it comes, `send` to post.
 * Nothing more: when the link drops (a server restart, Wi-Fi gone) it stays closed, and what is sent meanwhile is
 * never seen. `connect()` below is the same socket with what that takes.
 */
export function naiveConnect({
  onMessage,
  onError,
  onStatus,
  baseUrl,
  WebSocket = globalThis.WebSocket,
}: SocketOptions) {
  const socket = new WebSocket(socketUrl(baseUrl));
  socket.onopen = () => onStatus?.("open");
  socket.onmessage = (event) => {
    const frame: ServerFrame = JSON.parse(event.data); // the frame is the message, or an epoch, error or heartbeat
    if (isMessageFrame(frame)) onMessage(frame);
    else if ("error" in frame) onError?.(frame.code);
  };
  socket.onclose = () => onStatus?.("closed");
  return {
    send: (message: NewMessage) => socket.send(JSON.stringify(message)),
    close: () => socket.close(),
  };
}

/** The lesson's `connect()`, hardened: after a drop it reconnects and resumes after the last id it has. *
 * Long on purpose: the lesson's connect() and its reconnect are one slide; split, a student would have to jump.
 */
export function connect({
  onMessage,
  onEpoch,
  onError,
  onStatus,
  baseUrl,
  WebSocket = globalThis.WebSocket,
  silenceTimeout,
  retryDelay = backoffDelay,
}: SocketOptions) {
  const url = socketUrl(baseUrl);
  let socket: WebSocket;
  let lastId = 0;
  const epoch = trackEpoch(onEpoch);
  let attempts = 0;
  let stopped = false;

  function open() {
    socket = new WebSocket(`${url}?since=${lastId}${epoch.param()}`);
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
      const frame: ServerFrame = JSON.parse(event.data); // the frame is the message, or an epoch, error or heartbeat
      if ("error" in frame) return onError?.(frame.code);
      if ("epoch" in frame && epoch.isNew(frame.epoch)) lastId = 0; // a new history: what follows is from its start
      if (!isMessageFrame(frame) || frame.id <= lastId) return; // a heartbeat, or shown before a reconnect
      lastId = frame.id;
      onMessage(frame);
    };
    socket.onerror = () => {}; // a failed attempt is followed by close, which reconnects
    socket.onclose = () => {
      silence.stop();
      onStatus?.("closed");
      reconnect();
    };
  }

  function reconnect() {
    if (!stopped) setTimeout(open, retryDelay(attempts++)); // a random wait, so clients do not all retry at once
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
