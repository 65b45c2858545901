import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { RequestCounts, type RequestCountsSnapshot } from "./traffic-counts.ts";
import { ExchangeBytes } from "./exchange-bytes.ts";

export interface TrafficSnapshot extends RequestCountsSnapshot {
  /** TCP connections accepted, and bytes through them, counted at the socket: headers, handshakes and frames included. */
  connections: number;
  bytesRead: number;
  bytesWritten: number;
  /** This process: CPU time in microseconds since start, memory in bytes. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
  maxRssBytes: number;
  /** The panes' readings of their totals (`GET /stats/pane/<id>`): in the bytes above, in no pane's or transport's. */
  paneReadings: { requests: number; bytesIn: number; bytesOut: number };
}

/**
 * What the server's network costs, counted where the bytes really pass: the TCP sockets of the Node server.
 * The app's middleware adds request counts (server/counting/traffic-counts.ts); the edge (node-server.ts) attaches the rest,
 * and each pane's share of the bytes (exchange-bytes.ts).
 */
export class TrafficStats extends RequestCounts {
  override readonly countsBytes = true;
  private readonly exchanges = new ExchangeBytes(this.panes);
  private connections = 0;
  private closedRead = 0;
  private closedWritten = 0;
  private readonly live = new Set<Socket>();

  attach(server: Server): void {
    this.exchanges.attach(server);
    server.on("connection", (socket: Socket) => {
      this.connections++;
      this.live.add(socket);
      socket.once("close", () => {
        this.live.delete(socket);
        this.closedRead += socket.bytesRead;
        this.closedWritten += socket.bytesWritten;
      });
    });
  }

  /** A WebSocket accepted (its 101 written): counted, and its connection given to its pane. */
  upgraded(req: IncomingMessage): void {
    this.countUpgrade(req.url ?? "", req.socket.remoteAddress ?? "");
    this.exchanges.upgraded(req);
  }

  override snapshot(): TrafficSnapshot {
    let bytesRead = this.closedRead;
    let bytesWritten = this.closedWritten;
    for (const socket of this.live) {
      bytesRead += socket.bytesRead;
      bytesWritten += socket.bytesWritten;
    }
    const cpu = process.cpuUsage();
    const resources = process.resourceUsage();
    return {
      ...super.snapshot(),
      connections: this.connections,
      bytesRead,
      bytesWritten,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: resources.maxRSS * 1024,
      paneReadings: { ...this.exchanges.readings },
    };
  }
}
