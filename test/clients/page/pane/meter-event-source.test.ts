import { afterEach, describe, expect, it, vi } from "vitest";
import { meteredEventSource, TrafficMeter } from "../../../../clients/page/pane/meter.ts";

/** Just enough of an EventSource to dispatch its events by hand. */
class FakeEventSource extends EventTarget {
  constructor(readonly url: string | URL) {
    super();
  }
}

describe("meteredEventSource", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("opens the stream with the pane's ?p= and counts each open as a request made", () => {
    vi.stubGlobal("location", new URL("http://chat.test/sse"));
    const meter = new TrafficMeter();
    meter.reset("abcd12.sse");
    const Metered = meteredEventSource(meter, FakeEventSource as unknown as typeof EventSource);
    const source = new Metered("/events") as unknown as FakeEventSource;
    expect(source.url).toBe("http://chat.test/events?p=abcd12.sse");
    source.dispatchEvent(new Event("open"));
    source.dispatchEvent(new Event("open")); // a reconnect is another request
    expect(meter.requestsMade).toBe(2);
  });
});
