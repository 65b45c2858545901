/**
 * A room's network on loopback: a TCP proxy between the clients and the server that delays each direction by a
 * one-way time and, if asked, caps its bandwidth. The kernel here has no `tc qdisc … netem`, so this is the tool.
 * It forwards bytes unchanged (HTTP, SSE and WebSocket alike) and counts nothing: bytes stay counted at the server.
 *
 * A proxy on loopback accepts a connection at once, where a real network spends a round trip on the TCP handshake
 * (SYN → SYN-ACK → ACK): so a new connection's first bytes wait one RTT more, as a real client's would.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/** One direction of the link. */
export interface LinkOptions {
  /** One-way delay, ms. */
  delayMs: number;
  /** Bandwidth cap, bytes per second (none if left out). */
  bytesPerSecond?: number;
}

export interface DelayProxyOptions {
  /** Where the real server listens. */
  target: { host?: string; port: number };
  /** Client → server. */
  up: LinkOptions;
  /** Server → client. */
  down: LinkOptions;
  /** Make a new connection's first bytes wait one RTT (the TCP handshake); default true. */
  handshake?: boolean;
}

/** Bytes queued in one direction after which its sender is paused, so a capped link holds bounded memory. */
const QUEUE_HIGH_BYTES = 1024 * 1024;

/**
 * One direction of one connection: chunks leave in order, each when the link has carried it (its bytes at the cap,
 * after whatever was ahead of it) plus the one-way delay. `end` travels behind the last chunk.
 */
class Link {
  private readonly queue: { at: number; chunk: Buffer | null }[] = [];
  private freeAt = 0;
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly options: LinkOptions,
    /** Nothing leaves before this (performance.now() ms): the emulated handshake. */
    private readonly notBefore = 0,
  ) {
    from.on("data", (chunk: Buffer) => this.push(chunk));
    from.on("end", () => this.push(null));
  }

  private push(chunk: Buffer | null): void {
    const now = performance.now();
    const start = Math.max(now, this.freeAt, this.notBefore);
    const size = chunk?.length ?? 0;
    this.freeAt = start + (this.options.bytesPerSecond ? (size / this.options.bytesPerSecond) * 1000 : 0);
    this.queue.push({ at: this.freeAt + this.options.delayMs, chunk });
    this.queuedBytes += size;
    if (this.queuedBytes > QUEUE_HIGH_BYTES) this.from.pause();
    if (!this.timer) this.schedule();
  }

  private schedule(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, head.at - performance.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.5) {
      const { chunk } = this.queue.shift()!;
      if (chunk === null) this.to.end();
      else {
        this.queuedBytes -= chunk.length;
        if (!this.to.destroyed) this.to.write(chunk);
      }
    }
    if (this.queuedBytes <= QUEUE_HIGH_BYTES / 2 && this.from.isPaused()) this.from.resume();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }
}

export class DelayProxy {
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (a free port) and forwards every connection to `target` through the delayed links. */
  static async start(options: DelayProxyOptions): Promise<DelayProxy> {
    const handshakeMs = options.handshake === false ? 0 : options.up.delayMs + options.down.delayMs;
    let proxy: DelayProxy;
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      const notBefore = performance.now() + handshakeMs;
      const upstream = connect({
        host: options.target.host ?? "127.0.0.1",
        port: options.target.port,
        allowHalfOpen: true,
        noDelay: true,
      });
      const links = [new Link(client, upstream, options.up, notBefore), new Link(upstream, client, options.down)];
      for (const socket of [client, upstream]) {
        proxy.connections.add(socket);
        // A reset on either side ends both: the other side sees its connection drop, as it would on a real network.
        socket.on("error", () => {
          for (const s of [client, upstream]) s.destroy();
        });
        socket.on("close", () => {
          proxy.connections.delete(socket);
          if (client.destroyed && upstream.destroyed) for (const link of links) link.stop();
        });
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    proxy = new DelayProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  /** `http://127.0.0.1:<port>`: where clients connect instead of the server. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
  }
}

/** The symmetric room: `rttMs` split evenly between the two directions. */
export const roomLinks = (rttMs: number): Pick<DelayProxyOptions, "up" | "down"> => ({
  up: { delayMs: rttMs / 2 },
  down: { delayMs: rttMs / 2 },
});
