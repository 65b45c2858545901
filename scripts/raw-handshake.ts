/**
 * A WebSocket conversation over a bare TCP socket, with every byte kept: the upgrade request written by hand,
 * the server's `101`, one masked chat message, the frames that come back, and a clean close.
 * `scripts/handshake.ts` prints it; tests read it.
 */
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { PATHS, type NewMessage } from "../shared/protocol.ts";
import { randomKey } from "../shared/websocket-accept.ts";
import { decodeFrames, encodeFrame, OPCODES, type DecodedFrame } from "./websocket-frame.ts";

/** How long the whole conversation may take before it is given up. */
export const CONVERSATION_TIMEOUT_MS = 5000;

/** RFC 6455 §7.4.1: 1000 is a normal closure. */
const CLOSE_NORMAL = 1000;

export interface Transcript {
  /** The request exactly as written to the socket. */
  request: string;
  key: string;
  /** The response head exactly as read: status line, headers, the blank line. */
  response: string;
  status: number;
  /** Response headers in order, names as the server spelled them. */
  headers: [string, string][];
  /** Every frame after the upgrade, in the order it was sent or read: the client's masked, the server's not. */
  frames: TranscriptFrame[];
}

export interface TranscriptFrame {
  from: "client" | "server";
  frame: DecodedFrame;
}

export interface ConversationOptions {
  message?: NewMessage;
  timeoutMs?: number;
}

/** `ws://`, `http://` or a bare `host:port`; the path defaults to the chat's socket path. */
export function parseTarget(raw: string): URL {
  const url = new URL((/^[a-z]+:\/\//i.test(raw) ? raw : `ws://${raw}`).replace(/^http:/i, "ws:"));
  if (url.protocol !== "ws:")
    throw new Error(`expected a ws:// or http:// URL, got ${url.protocol}// (TLS is not spoken here)`);
  if (url.pathname === "/") url.pathname = PATHS.socket;
  return url;
}

export function buildUpgradeRequest(url: URL, key: string): string {
  return [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");
}

/** Splits a response head into its status and its headers. */
export function parseResponseHead(head: string): { status: number; headers: [string, string][] } {
  const [statusLine = "", ...lines] = head.split("\r\n").filter((line) => line !== "");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { status, headers };
}

/** Everything read from a socket so far, and a way to wait until it holds what is expected. */
class Inbox {
  bytes = Buffer.alloc(0);
  private ended = false;
  private wake = () => {};

  constructor(socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.bytes = Buffer.concat([this.bytes, chunk]);
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
  }

  async until<T>(check: () => T | undefined, what: string, deadline: number): Promise<T> {
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (this.ended) throw new Error(`the connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

/**
 * Upgrades, waits for the first frame (the history), sends `message` as one masked text frame, waits for it to
 * come back as a broadcast, then closes with 1000 and waits for the server's close frame.
 */
export async function converse(url: URL, options: ConversationOptions = {}): Promise<Transcript> {
  const message = options.message ?? { user: "handshake", text: "hello over a raw TCP socket" };
  const deadline = Date.now() + (options.timeoutMs ?? CONVERSATION_TIMEOUT_MS);
  const key = randomKey();
  const request = buildUpgradeRequest(url, key);

  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) });
  socket.on("error", () => {}); // surfaced as a close by the inbox
  const inbox = new Inbox(socket);
  try {
    socket.write(request);
    const headEnd = await inbox.until(
      () => (inbox.bytes.includes("\r\n\r\n") ? inbox.bytes.indexOf("\r\n\r\n") + 4 : undefined),
      "the response head",
      deadline,
    );
    const response = inbox.bytes.subarray(0, headEnd).toString("latin1");
    const { status, headers } = parseResponseHead(response);
    const transcript: Transcript = { request, key, response, status, headers, frames: [] };
    if (status !== 101) return transcript;

    const frames = () => decodeFrames(inbox.bytes.subarray(headEnd)).frames;
    let logged = 0; // server frames already in the transcript
    const logReceived = () => {
      for (const frame of frames().slice(logged)) transcript.frames.push({ from: "server", frame });
      logged = frames().length;
    };
    const send = (opcode: number, payload: Uint8Array) => {
      logReceived();
      const bytes = encodeFrame({ opcode, payload, maskingKey: randomBytes(4) });
      transcript.frames.push({ from: "client", frame: decodeFrames(bytes).frames[0]! });
      socket.write(bytes);
    };
    const isEcho = (frame: DecodedFrame) =>
      frame.opcode === OPCODES.text && frame.payload.toString("utf8").includes(JSON.stringify(message.text));

    await inbox.until(() => (frames().length > 0 ? true : undefined), "the first frame", deadline);
    send(OPCODES.text, Buffer.from(JSON.stringify(message)));
    await inbox.until(() => (frames().some(isEcho) ? true : undefined), "the message to come back", deadline);

    const code = Buffer.alloc(2);
    code.writeUInt16BE(CLOSE_NORMAL);
    send(OPCODES.close, code);
    await inbox.until(
      () => (frames().some((f) => f.opcode === OPCODES.close) ? true : undefined),
      "the close frame",
      deadline,
    );
    logReceived();
    return transcript;
  } finally {
    socket.destroy();
  }
}
