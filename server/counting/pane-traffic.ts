import type { TransportTotals } from "../../shared/class-protocol.ts";
import { PANE_PARAM, type PaneTotalsBody, type TrafficTotals } from "../../shared/protocol.ts";
import { TRANSPORT_IDS, TRANSPORTS, type TransportId } from "../../shared/transports.ts";
import { MAX_TRACKED_PANES, PANE_SEEN_MS } from "../limits/counting-limits.ts";

/** `?p=<pane id>.<transport id>`: a few random characters made by the page, then an id of shared/transports.ts. */
const PANE_TAG = /^([0-9a-z]{4,16})\.([a-z-]{1,24})$/;

/** One pane, as the server knows it from its `?p=`. */
export class Pane implements TrafficTotals {
  requests = 0;
  emptyAnswers = 0;
  bytesIn = 0;
  bytesOut = 0;
  proxied = false;
  /**
   * Some of its traffic came where the edge cannot tell one pane's bytes from another's (TLS, HTTP/2's one shared
   * connection): its byte figures would leave that out, so none are given.
   */
  bytesUnseen = false;
  /** Its exchanges in progress: a request not yet answered, an open socket or stream (the edge keeps this). */
  open = 0;
  /** The client ports of its latest connections. */
  readonly ports: number[] = [];

  constructor(
    readonly id: string,
    readonly transport: TransportId,
    public lastSeen: number,
  ) {}

  usedPort(port: number | undefined): void {
    if (port === undefined || this.ports.includes(port)) return;
    this.ports.push(port);
    if (this.ports.length > 16) this.ports.shift();
  }
}

const zero = (): TrafficTotals => ({ requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 });

/**
 * Who caused which traffic: each pane's requests, empty answers and bytes, and the same summed per transport (kept
 * apart, so they keep growing when a pane is forgotten). The app counts requests (server/counting/traffic-counts.ts), the edge
 * adds bytes (server/counting/exchange-bytes.ts); `beforeRead` lets the edge add what open exchanges carried so far.
 */
export class PaneLedger {
  private readonly panes = new Map<string, Pane>();
  private readonly transports = Object.fromEntries(TRANSPORT_IDS.map((id) => [id, zero()])) as Record<
    TransportId,
    TrafficTotals
  >;
  /** Set by an edge that counts bytes: brings open exchanges up to date before anything is read. */
  beforeRead: () => void = () => {};

  constructor(private readonly now: () => number = Date.now) {}

  /** The pane a `?p=` value names, made on first sight; undefined for none or a malformed one (never an error). */
  pane(tag: string | null | undefined): Pane | undefined {
    const match = tag ? PANE_TAG.exec(tag) : null;
    if (!match || !Object.hasOwn(TRANSPORTS, match[2]!)) return undefined;
    const [, id, transport] = match as unknown as [string, string, TransportId];
    let pane = this.panes.get(id);
    if (pane && pane.transport !== transport) return undefined; // one id, one transport: the page makes a new id
    if (pane)
      this.panes.delete(id); // re-inserted below: the Map's order is the order last seen
    else {
      pane = new Pane(id, transport, this.now());
      if (this.panes.size >= MAX_TRACKED_PANES) this.panes.delete(this.panes.keys().next().value!);
    }
    pane.lastSeen = this.now();
    this.panes.set(id, pane);
    return pane;
  }

  countRequest(pane: Pane): void {
    pane.requests++;
    this.transports[pane.transport].requests++;
  }

  countEmpty(pane: Pane): void {
    pane.emptyAnswers++;
    this.transports[pane.transport].emptyAnswers++;
  }

  addBytes(pane: Pane, bytesIn: number, bytesOut: number): void {
    pane.bytesIn += bytesIn;
    pane.bytesOut += bytesOut;
    this.transports[pane.transport].bytesIn += bytesIn;
    this.transports[pane.transport].bytesOut += bytesOut;
    pane.lastSeen = this.now();
  }

  /** One pane's totals, or undefined if no request of it has been seen (or it was forgotten). */
  totals(id: string, bytesCounted: boolean): PaneTotalsBody | undefined {
    this.beforeRead();
    const pane = this.panes.get(id);
    if (!pane) return undefined;
    const { transport, requests, emptyAnswers, bytesIn, bytesOut, proxied, ports } = pane;
    const counted = bytesCounted && !pane.bytesUnseen;
    return { transport, requests, emptyAnswers, bytesIn, bytesOut, bytesCounted: counted, proxied, ports: [...ports] };
  }

  /** Per transport: its counters, and its clients (panes with an exchange open, or seen in the last PANE_SEEN_MS). */
  byTransport(): Record<TransportId, TransportTotals> {
    this.beforeRead();
    const clients = Object.fromEntries(TRANSPORT_IDS.map((id) => [id, 0])) as Record<TransportId, number>;
    const recent = this.now() - PANE_SEEN_MS;
    for (const pane of this.panes.values()) if (pane.open > 0 || pane.lastSeen >= recent) clients[pane.transport]++;
    return Object.fromEntries(
      TRANSPORT_IDS.map((id) => [id, { clients: clients[id], ...this.transports[id] }]),
    ) as Record<TransportId, TransportTotals>;
  }
}

/** The `?p=` value of a request target (`/messages?since=3&p=…`), read without building a URL. */
export function paneTagOf(target: string): string | undefined {
  const query = target.indexOf("?");
  if (query === -1) return undefined;
  return new URLSearchParams(target.slice(query + 1)).get(PANE_PARAM) ?? undefined;
}
