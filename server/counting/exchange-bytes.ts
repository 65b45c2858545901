import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { PATHS } from "../../shared/protocol.ts";
import { paneTagOf, type Pane, type PaneLedger } from "./pane-traffic.ts";

/** The panes' readings of their own totals (`GET /stats/pane/<id>`): counted apart, in nobody's figures. */
const READINGS = Symbol("readings");

/** One TCP connection: how far its bytes have been given to someone, and whose exchange is going on now. */
interface Connection {
  socket: Socket;
  read: number;
  written: number;
  owner?: Pane | typeof READINGS;
}

/** The Host header's port (80 when it names none), to tell a request that came through something else. */
const hostPort = (host: string | undefined) => Number(/:(\d+)$/.exec(host ?? "")?.[1] ?? 80);

/** A TCP connection's peer, to find it again from the TLS socket layered on it (the TLS port's "secureConnection"). */
const peer = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;

/** Headers a proxy adds. */
const PROXY_HEADERS = ["via", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"];

/**
 * Gives each byte a TCP socket reads or writes to the pane whose exchange it belongs to (its `?p=`,
 * server/counting/pane-traffic.ts), from the socket's own `bytesRead`/`bytesWritten`. On a keep-alive connection HTTP
 * exchanges are sequential, and the server writes only while answering: so the bytes between one response's end and
 * the next are the next request and its response, head, body and chunk framing included. A WebSocket (from its upgrade request and 101 on) and an SSE
 * response belong to their pane for the connection's lifetime; what they carried so far is added whenever a figure
 * is read. Connections of nobody's exchanges (the page, /stats) stay in the server's totals only.
 */
export class ExchangeBytes {
  private readonly connections = new WeakMap<Socket, Connection>();
  /** Open TCP connections by peer, until TLS has wrapped them (then `connections` knows the TLS socket too). */
  private readonly awaitingTls = new Map<string, Connection>();
  /** Connections in a pane's exchange now: their bytes so far are added before each reading. */
  private readonly open = new Set<Connection>();
  /** What the panes' readings of their totals cost; in the server's socket totals, in no pane's or transport's. */
  readonly readings = { requests: 0, bytesIn: 0, bytesOut: 0 };

  constructor(private readonly ledger: PaneLedger) {
    ledger.tracksOpen = true;
    ledger.beforeRead = () => {
      for (const connection of this.open) this.settle(connection);
    };
  }

  attach(server: Server): void {
    server.on("connection", (socket: Socket) => {
      const connection: Connection = { socket, read: 0, written: 0 };
      this.connections.set(socket, connection);
      const key = peer(socket);
      this.awaitingTls.set(key, connection);
      socket.once("close", () => {
        this.awaitingTls.delete(key);
        this.end(connection);
      });
    });
    // Only the TLS port emits it: the TLS socket is found again as its TCP connection, so a WebSocket upgraded on it
    // (its own connection, nothing else on it) gives that connection's bytes, TLS records included, to its pane.
    server.on("secureConnection", (tls: TLSSocket) => {
      const key = peer(tls);
      const connection = this.awaitingTls.get(key);
      this.awaitingTls.delete(key);
      if (connection) this.connections.set(tls, connection);
    });
    server.on("request", (req: IncomingMessage, res) => {
      const connection = this.connections.get(req.socket);
      if (!connection || (req.socket as TLSSocket).encrypted) return this.unseen(req, res);
      this.begin(connection, req);
      res.once("finish", () => this.end(connection));
    });
  }

  /** A WebSocket accepted (`ws`'s "connection", its 101 written): the connection is its pane's until it closes. */
  upgraded(req: IncomingMessage): void {
    const connection = this.connections.get(req.socket);
    if (!connection) return;
    this.begin(connection, req);
  }

  /**
   * A request on a connection whose TCP bytes are not its alone to count: over TLS (the TLS port, h2 or http/1.1) the
   * request's socket is the TLS layer, not the TCP socket counted, and h2 mixes every pane of a page on one connection.
   * Its pane then shows no byte figures ("–") rather than too few; /stats still counts every byte at the TCP socket.
   */
  private unseen(req: IncomingMessage, res: { once(event: "close", listener: () => void): unknown }): void {
    const pane = this.ledger.pane(paneTagOf(req.url ?? ""), req.socket.remoteAddress ?? "");
    if (!pane) return;
    pane.bytesUnseen = true;
    // Still a client of its transport while its exchange is open (an SSE stream or a held poll over h2): the class
    // view's "who is here" counts it.
    pane.open++;
    res.once("close", () => pane.open--);
  }

  private begin(connection: Connection, req: IncomingMessage): void {
    const target = req.url ?? "";
    if (target.startsWith(`${PATHS.paneStats}/`)) {
      connection.owner = READINGS;
      this.readings.requests++;
      return;
    }
    const pane = this.ledger.pane(paneTagOf(target), req.socket.remoteAddress ?? "");
    if (!pane) return;
    connection.owner = pane;
    pane.open++;
    this.open.add(connection);
    pane.usedPort(req.socket.remotePort);
    const { headers } = req;
    if (PROXY_HEADERS.some((name) => headers[name] !== undefined) || hostPort(headers.host) !== req.socket.localPort) {
      pane.proxied = true;
    }
  }

  /** Gives the bytes since the last mark to the exchange's owner. */
  private settle(connection: Connection): void {
    const { socket, owner } = connection;
    const bytesIn = socket.bytesRead - connection.read;
    const bytesOut = socket.bytesWritten - connection.written;
    connection.read += bytesIn;
    connection.written += bytesOut;
    if (owner === READINGS) {
      this.readings.bytesIn += bytesIn;
      this.readings.bytesOut += bytesOut;
    } else if (owner) this.ledger.addBytes(owner, bytesIn, bytesOut);
  }

  private end(connection: Connection): void {
    this.settle(connection);
    const { owner } = connection;
    if (owner && owner !== READINGS && this.open.delete(connection)) owner.open--;
    connection.owner = undefined;
  }
}
