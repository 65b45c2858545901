import type { TransportTotals } from "../../shared/class-protocol.ts";
import { PANE_PARAM, type PaneTotalsBody, type TrafficTotals } from "../../shared/protocol.ts";
import { TRANSPORT_IDS, TRANSPORTS, type TransportId } from "../../shared/transports.ts";
import { MAX_PANES_PER_ADDRESS, MAX_TRACKED_PANES, PANE_SEEN_MS } from "../limits/counting-limits.ts";

/** `?p=<pane id>.<transport id>`: a few random characters made by the page, then an id of shared/transports.ts. */
const PANE_TAG = /^([0-9a-z]{4,16})\.([a-z-]{1,24})$/;

/**
 * Transports whose client holds one connection for its whole life: it is a client while that is open, not while its
 * id was seen lately (so ids made up on plain requests add no socket or stream client to the class view).
 */
const HOLDS_A_CONNECTION: ReadonlySet<TransportId> = new Set(["socket", "naive-socket", "sse"]);

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
    /** The client address that first named it: ids are bounded per address (MAX_PANES_PER_ADDRESS). */
    readonly address: string,
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
  /** Every pane, the one seen longest ago first. */
  private readonly panes = new Map<string, Pane>();
  /** The same, per client address, in the same order. */
  private readonly byAddress = new Map<string, Map<string, Pane>>();
  private readonly transports = Object.fromEntries(TRANSPORT_IDS.map((id) => [id, zero()])) as Record<
    TransportId,
    TrafficTotals
  >;
  /**
   * This ledger's own id, new with each server process: a page that sees it change knows the server restarted and its
   * pane's totals started again from zero (clients/page/pane.ts carries its counts across).
   */
  readonly boot = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join("");
  /** Set by an edge that counts bytes: brings open exchanges up to date before anything is read. */
  beforeRead: () => void = () => {};
  /** Set by an edge that keeps each pane's `open` (server/counting/exchange-bytes.ts); elsewhere it is always 0. */
  tracksOpen = false;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The pane a `?p=` value names, made on first sight; undefined for none or a malformed one (never an error), and
   * for a new id from an address whose MAX_PANES_PER_ADDRESS panes all have an exchange open. A pane with an exchange
   * open is never forgotten: made-up ids push out only the closed panes seen longest ago, their address's first.
   */
  pane(tag: string | null | undefined, address = ""): Pane | undefined {
    const match = tag ? PANE_TAG.exec(tag) : null;
    if (!match || !Object.hasOwn(TRANSPORTS, match[2]!)) return undefined;
    const [, id, transport] = match as unknown as [string, string, TransportId];
    let pane = this.panes.get(id);
    if (pane && pane.transport !== transport) return undefined; // one id, one transport: the page makes a new id
    if (!pane) {
      const own = this.byAddress.get(address) ?? new Map<string, Pane>();
      if (own.size >= MAX_PANES_PER_ADDRESS && !this.forgetOldest(own)) return undefined;
      if (this.panes.size >= MAX_TRACKED_PANES && !this.forgetOldest(this.panes)) return undefined;
      pane = new Pane(id, transport, this.now(), address);
      this.byAddress.set(address, own);
    }
    this.touch(pane);
    return pane;
  }

  /** The pane a `?p=` value names if it is tracked now; never makes one. */
  known(tag: string | null | undefined): Pane | undefined {
    const id = tag ? PANE_TAG.exec(tag)?.[1] : undefined;
    return id === undefined ? undefined : this.panes.get(id);
  }

  /** Moves a pane to the end of both orders (a Map keeps insertion order): it is the one seen last. */
  private touch(pane: Pane): void {
    pane.lastSeen = this.now();
    const own = this.byAddress.get(pane.address)!;
    this.panes.delete(pane.id);
    this.panes.set(pane.id, pane);
    own.delete(pane.id);
    own.set(pane.id, pane);
  }

  /**
   * Forgets the closed pane of `panes` seen longest ago; false if every one has an exchange open (their number is
   * bounded by the connection caps). An open one met on the way goes to the end, so the next search skips it.
   */
  private forgetOldest(panes: Map<string, Pane>): boolean {
    for (let left = panes.size; left > 0; left--) {
      const oldest = panes.values().next().value!;
      if (oldest.open > 0) {
        panes.delete(oldest.id);
        panes.set(oldest.id, oldest);
        continue;
      }
      this.panes.delete(oldest.id);
      const own = this.byAddress.get(oldest.address)!;
      own.delete(oldest.id);
      if (own.size === 0) this.byAddress.delete(oldest.address);
      return true;
    }
    return false;
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
    const { boot } = this;
    return {
      transport,
      requests,
      emptyAnswers,
      bytesIn,
      bytesOut,
      bytesCounted: counted,
      proxied,
      ports: [...ports],
      boot,
    };
  }

  /**
   * Per transport: its counters, and its clients: panes with an exchange open, or seen in the last PANE_SEEN_MS
   * (for a socket or a stream, only where the edge cannot tell whether it is open).
   */
  byTransport(): Record<TransportId, TransportTotals> {
    this.beforeRead();
    const clients = Object.fromEntries(TRANSPORT_IDS.map((id) => [id, 0])) as Record<TransportId, number>;
    const recent = this.now() - PANE_SEEN_MS;
    const bySight = (pane: Pane) => !(this.tracksOpen && !pane.bytesUnseen && HOLDS_A_CONNECTION.has(pane.transport));
    for (const pane of this.panes.values()) {
      if (pane.open > 0 || (pane.lastSeen >= recent && bySight(pane))) clients[pane.transport]++;
    }
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
