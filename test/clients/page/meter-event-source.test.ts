import { describe, expect, it } from "vitest";
import { meteredEventSource, TrafficMeter } from "../../../clients/page/meter.ts";

/** Just enough of an EventSource to dispatch its events by hand. */
class FakeEventSource extends EventTarget {
  constructor(readonly url: string | URL) {
    super();
  }
}

describe("meteredEventSource", () => {
  it("counts each open as a request and the UTF-8 bytes of each event's data, labelled as event data", () => {
    const meter = new TrafficMeter();
    const Metered = meteredEventSource(meter, FakeEventSource as unknown as typeof EventSource);
    const source = new Metered("/events");
    expect(meter.receivedUnit).toBe("event-data");
    source.dispatchEvent(new Event("open"));
    source.dispatchEvent(new MessageEvent("message", { data: '{"text":"ğ"}' })); // ğ is 2 bytes in UTF-8
    source.dispatchEvent(new Event("open")); // a reconnect is another request
    source.dispatchEvent(new MessageEvent("message", { data: "x" }));
    expect(meter.requests).toBe(2);
    expect(meter.bytesReceived).toBe(14);
  });
});
