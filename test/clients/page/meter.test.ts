import { afterEach, describe, expect, it, vi } from "vitest";
import { frameSize, LATENCY_WINDOW, meteredFetch, meteredWebSocket, TrafficMeter } from "../../../clients/page/meter.ts";

describe("frameSize (RFC 6455 §5.2)", () => {
  it.each([
    [0, false, 2],
    [125, false, 127],
    [126, false, 130],
    [65535, false, 65539],
    [65536, false, 65546],
    [5, true, 11],
    [126, true, 134],
    [70000, true, 70014],
  ])("%i payload bytes, masked %s → %i on the wire", (payload, masked, size) => {
    expect(frameSize(payload, masked)).toBe(size);
  });
});

describe("TrafficMeter", () => {
  it("keeps the last LATENCY_WINDOW latencies and tells listeners about changes", () => {
    const meter = new TrafficMeter();
    const listener = vi.fn();
    meter.onChange(listener);
    for (let i = 0; i < LATENCY_WINDOW + 10; i++) meter.addLatency(i);
    expect(meter.latencies).toHaveLength(LATENCY_WINDOW);
    expect(meter.latencies[0]).toBe(10);
    expect(listener).toHaveBeenCalledTimes(LATENCY_WINDOW + 10);
  });

  it("reset() zeroes every counter", () => {
    const meter = new TrafficMeter();
    meter.requests = meter.emptyResponses = meter.bytesReceived = meter.bytesSent = 7;
    meter.addLatency(3);
    meter.reset();
    expect([meter.requests, meter.emptyResponses, meter.bytesReceived, meter.bytesSent, meter.latencies.length]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("meteredFetch", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("counts requests, empty answers, bytes sent, and body bytes where no Resource Timing entry exists", async () => {
    vi.stubGlobal("location", new URL("http://chat.test/"));
    const answers = ['[{"id":1,"user":"a","text":"é","sentAt":1}]', "[]", "[]"];
    const inner = vi.fn(async () => new Response(answers.shift()!, { headers: { "content-type": "application/json" } }));
    const meter = new TrafficMeter();
    const fetch = meteredFetch(meter, inner as typeof globalThis.fetch);

    const first = await fetch("/messages?since=0");
    expect(await first.json()).toHaveLength(1); // the caller still gets an unread body
    await fetch("/messages?since=1");
    await fetch("/messages", { method: "POST", body: '{"user":"a","text":"ü"}' });

    expect(meter.requests).toBe(3);
    expect(meter.emptyResponses).toBe(2);
    expect(meter.bytesSent).toBe(24); // "ü" is two bytes in UTF-8
    expect(meter.bytesReceived).toBe(44 + 2 + 2);
    expect(meter.receivedUnit).toBe("bodies");
  });
});

describe("meteredWebSocket", () => {
  /** Just enough of a WebSocket to count with: sends are recorded, messages are dispatched by the test. */
  class FakeSocket extends EventTarget {
    sent: unknown[] = [];
    constructor(readonly url: string | URL) {
      super();
    }
    send(data: unknown) {
      this.sent.push(data);
    }
  }

  it("counts the upgrade as a request and each frame by its size on the wire", () => {
    const meter = new TrafficMeter();
    const Metered = meteredWebSocket(meter, FakeSocket as unknown as typeof WebSocket);
    const socket = new Metered("ws://chat.test/ws") as unknown as FakeSocket;
    expect(meter.requests).toBe(1);
    expect(meter.receivedUnit).toBe("frames");

    socket.dispatchEvent(new MessageEvent("message", { data: "x".repeat(10) }));
    socket.dispatchEvent(new MessageEvent("message", { data: "y".repeat(200) }));
    expect(meter.bytesReceived).toBe(2 + 10 + (4 + 200)); // server frames are not masked

    (socket as unknown as WebSocket).send('{"user":"a","text":"b"}');
    expect(socket.sent).toEqual(['{"user":"a","text":"b"}']);
    expect(meter.bytesSent).toBe(2 + 4 + 23); // client frames carry a 4-byte mask key
  });
});
