import { afterEach, describe, expect, it, vi } from "vitest";
import { LATENCY_WINDOW, meteredFetch, meteredWebSocket, TrafficMeter } from "../../../../clients/page/pane/meter.ts";

describe("TrafficMeter", () => {
  it("keeps the last LATENCY_WINDOW latencies and tells listeners about changes until they unsubscribe", () => {
    const meter = new TrafficMeter();
    const listener = vi.fn();
    const unsubscribe = meter.onChange(listener);
    for (let i = 0; i < LATENCY_WINDOW + 10; i++) meter.addLatency(i);
    expect(meter.latencies).toHaveLength(LATENCY_WINDOW);
    expect(meter.latencies[0]).toBe(10);
    expect(listener).toHaveBeenCalledTimes(LATENCY_WINDOW + 10);
    unsubscribe();
    meter.addLatency(1);
    expect(listener).toHaveBeenCalledTimes(LATENCY_WINDOW + 10);
  });

  it("reset() takes the new tag and forgets what was made and recorded", () => {
    const meter = new TrafficMeter();
    meter.requestsMade = 7;
    meter.addLatency(3);
    meter.reset("abcd12.polling");
    expect([meter.pane, meter.requestsMade, meter.latencies.length, meter.records.length]).toEqual([
      "abcd12.polling",
      0,
      0,
      0,
    ]);
  });
});

describe("the pane's ?p= on every URL", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("meteredFetch adds it to each request, keeping the transport's own query, and counts the requests made", async () => {
    vi.stubGlobal("location", new URL("http://chat.test/polling"));
    const urls: string[] = [];
    const inner = vi.fn(async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return new Response("[]");
    });
    const meter = new TrafficMeter();
    meter.reset("abcd12.polling");
    const fetch = meteredFetch(meter, inner as typeof globalThis.fetch);
    await fetch("/messages?since=3");
    await fetch("/messages", { method: "POST", body: "{}" });
    expect(urls).toEqual([
      "http://chat.test/messages?since=3&p=abcd12.polling",
      "http://chat.test/messages?p=abcd12.polling",
    ]);
    expect(meter.requestsMade).toBe(2);
  });

  it("meteredWebSocket opens the socket's URL with it; an untagged meter leaves URLs alone", () => {
    class FakeSocket extends EventTarget {
      constructor(readonly url: string) {
        super();
      }
    }
    const meter = new TrafficMeter();
    meter.reset("abcd12.socket");
    const Metered = meteredWebSocket(meter, FakeSocket as unknown as typeof WebSocket);
    expect((new Metered("ws://chat.test/ws?since=0") as unknown as FakeSocket).url).toBe(
      "ws://chat.test/ws?since=0&p=abcd12.socket",
    );
    const plain = meteredWebSocket(new TrafficMeter(), FakeSocket as unknown as typeof WebSocket);
    expect((new plain("ws://chat.test/ws") as unknown as FakeSocket).url).toBe("ws://chat.test/ws");
  });
});
