import { WebSocket, type ClientOptions, type RawData } from "ws";
import { isMessageFrame, type Message, type ServerFrame } from "../../shared/protocol.ts";
import { waitFor, type WaitOptions } from "./wait.ts";

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A `ws` client for tests: collects every frame the server sends, so a test can wait for the one it expects,
 * and records how the socket closed.
 */
export class SocketClient {
  readonly frames: ServerFrame[] = [];
  closedWith: Closed | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data: RawData, isBinary: boolean) => {
      if (isBinary) throw new Error("the server sent a binary frame");
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
    });
    socket.on("close", (code, reason) => (this.closedWith = { code, reason: reason.toString() }));
  }

  /** Opens `ws://…/ws[?query]` on the server at `baseUrl` (`http://127.0.0.1:<port>`) and waits for the upgrade. */
  static async open(baseUrl: string, query = "", options?: ClientOptions): Promise<SocketClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/ws${query}`, options);
    const client = new SocketClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return client;
  }

  /** Every chat message received, from history and live frames (each frame is the message), in arrival order. */
  get messages(): Message[] {
    return this.frames.filter(isMessageFrame);
  }

  get errors(): string[] {
    return this.frames.flatMap((frame) => ("error" in frame ? [frame.error] : []));
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(data: unknown): void {
    this.socket.send(typeof data === "string" || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  /** Waits until a frame matching `predicate` has arrived, and returns it. */
  waitForFrame(predicate: (frame: ServerFrame) => boolean, options: WaitOptions = {}): Promise<ServerFrame> {
    return waitFor(() => this.frames.find(predicate), { what: "a matching frame", ...options });
  }

  /** Waits until a message whose text is `text` has arrived, and returns it. */
  waitForText(text: string, options: WaitOptions = {}): Promise<Message> {
    return waitFor(() => this.messages.find((message) => message.text === text), {
      what: `message "${text}"`,
      ...options,
    });
  }

  waitForClose(options: WaitOptions = {}): Promise<Closed> {
    return waitFor(() => this.closedWith, { what: "the socket to close", ...options });
  }

  async close(): Promise<void> {
    if (this.closedWith || this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.waitForClose();
  }
}
