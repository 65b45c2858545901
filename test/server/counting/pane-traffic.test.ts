import { describe, expect, it } from "vitest";
import { MAX_PANES_PER_ADDRESS, MAX_TRACKED_PANES, PANE_SEEN_MS } from "../../../server/limits/counting-limits.ts";
import { PaneLedger, paneTagOf } from "../../../server/counting/pane-traffic.ts";

describe("PaneLedger", () => {
  it("knows a pane by its ?p= (id.transport), and nothing by a malformed one", () => {
    const ledger = new PaneLedger();
    const pane = ledger.pane("abcd12.polling");
    expect(pane).toMatchObject({ id: "abcd12", transport: "polling" });
    expect(ledger.pane("abcd12.polling")).toBe(pane);
    for (const tag of [undefined, "", "abc.polling", "abcd12", "abcd12.nosuch", "ABCD12.polling", "abcd12.socket"]) {
      expect(ledger.pane(tag), String(tag)).toBeUndefined(); // the last: one id, one transport
    }
  });

  it("sums each pane into its transport, and keeps the transport's counters when panes are forgotten", () => {
    const ledger = new PaneLedger();
    const first = ledger.pane("aaaa01.socket")!;
    ledger.countRequest(first);
    ledger.addBytes(first, 500, 4000);
    for (let i = 0; i < MAX_TRACKED_PANES; i++) ledger.pane(`${i.toString(36).padStart(6, "0")}.polling`);
    expect(ledger.totals("aaaa01", true)).toBeUndefined(); // seen longest ago: forgotten
    expect(ledger.byTransport().socket).toMatchObject({ requests: 1, bytesIn: 500, bytesOut: 4000 });
  });

  it("counts a pane as a client while it has an exchange open, or for PANE_SEEN_MS after it was seen", () => {
    let now = 1_000_000;
    const ledger = new PaneLedger(() => now);
    const poller = ledger.pane("pppp01.polling")!;
    const stream = ledger.pane("ssss01.sse")!;
    stream.open = 1;
    expect(ledger.byTransport()).toMatchObject({
      polling: { clients: 1 },
      sse: { clients: 1 },
      socket: { clients: 0 },
    });
    now += PANE_SEEN_MS + 1;
    expect(ledger.byTransport()).toMatchObject({ polling: { clients: 0 }, sse: { clients: 1 } });
    ledger.countEmpty(poller);
    expect(ledger.totals("pppp01", false)).toMatchObject({ emptyAnswers: 1, bytesCounted: false });
  });
});

describe("made-up pane ids (issue 23 row 5)", () => {
  it("100,000 ids from one address push out neither an open pane nor another address's, and add no socket client", () => {
    const ledger = new PaneLedger();
    ledger.tracksOpen = true; // as at the Node edge, which keeps each pane's open exchanges
    const real = ledger.pane("real01.socket", "10.0.0.5")!;
    real.open = 1; // its socket is open
    const neighbour = ledger.pane("near01.polling", "10.0.0.6")!;
    for (let i = 0; i < 100_000; i++) ledger.pane(`${i.toString(36).padStart(6, "0")}.socket`, "10.0.0.5");
    expect(ledger.totals("real01", true)).toBeDefined();
    expect(ledger.totals("near01", true)).toBeDefined();
    expect(ledger.pane("near01.polling", "10.0.0.6")).toBe(neighbour);
    // The class view counts the one socket open, not the ids seen: before, it showed 10,000, then 0.
    expect(ledger.byTransport().socket.clients).toBe(1);
    let kept = 0;
    for (let i = 99_000; i < 100_000; i++) if (ledger.totals(i.toString(36).padStart(6, "0"), true)) kept++;
    expect(kept).toBe(MAX_PANES_PER_ADDRESS - 1); // the address's newest, beside its open one
  });

  it("refuses a new id from an address whose every pane is open, and still tracks other addresses", () => {
    const ledger = new PaneLedger();
    for (let i = 0; i < MAX_PANES_PER_ADDRESS; i++)
      ledger.pane(`open${i.toString().padStart(4, "0")}.sse`, "a")!.open = 1;
    expect(ledger.pane("late01.sse", "a")).toBeUndefined();
    expect(ledger.pane("other1.sse", "b")).toBeDefined();
    expect(ledger.byTransport().sse.clients).toBe(MAX_PANES_PER_ADDRESS + 1);
  });
});

describe("paneTagOf", () => {
  it("reads ?p= from a request target, among other parameters", () => {
    expect(paneTagOf("/messages?since=3&p=abcd12.polling")).toBe("abcd12.polling");
    expect(paneTagOf("/ws?p=abcd12.socket&since=0")).toBe("abcd12.socket");
    expect(paneTagOf("/messages")).toBeUndefined();
    expect(paneTagOf("/messages?xp=1")).toBeUndefined();
  });
});
