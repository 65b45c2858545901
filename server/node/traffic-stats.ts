import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface TrafficSnapshot {
  /** HTTP requests answered, by route label (`GET /messages`, …), upgrades not included. */
  requests: Record<string, number>;
  /** `GET /messages` answers that carried no message: the polling cost that buys nothing. */
  emptyResponses: number;
  /** WebSocket upgrades accepted (the sockets open now are the hub's to count: `/stats` adds them). */
  upgrades: number;
  /** TCP connections accepted, and bytes through them, counted at the socket: headers, handshakes and frames included. */
  connections: number;
  bytesRead: number;
  bytesWritten: number;
  /** This process: CPU time in microseconds since start, memory in bytes. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  rssBytes: number;
  maxRssBytes: number;
}

/**
 * What the server's network costs, counted where the bytes really pass: the TCP sockets of the Node server.
 * The Hono app adds request counts; the adapter edge (node-server.ts) attaches the socket counting.
 */
export class TrafficStats {
  readonly requests: Record<string, number> = {};
  emptyResponses = 0;
  upgrades = 0;
  private connections = 0;
  private closedRead = 0;
  private closedWritten = 0;
  private readonly live = new Set<Socket>();

  attach(server: Server): void {
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

  countRequest(label: string): void {
    this.requests[label] = (this.requests[label] ?? 0) + 1;
  }

  snapshot(): TrafficSnapshot {
    let bytesRead = this.closedRead;
    let bytesWritten = this.closedWritten;
    for (const socket of this.live) {
      bytesRead += socket.bytesRead;
      bytesWritten += socket.bytesWritten;
    }
    const cpu = process.cpuUsage();
    const resources = process.resourceUsage();
    return {
      requests: { ...this.requests },
      emptyResponses: this.emptyResponses,
      upgrades: this.upgrades,
      connections: this.connections,
      bytesRead,
      bytesWritten,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      rssBytes: process.memoryUsage.rss(),
      maxRssBytes: resources.maxRSS * 1024,
    };
  }
}
