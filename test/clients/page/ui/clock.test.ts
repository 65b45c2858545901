import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLOCK_SAMPLES, ServerClock, measureClockOffset } from "../../../../clients/page/ui/clock.ts";

describe("measureClockOffset", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  /**
   * A server whose clock is `offset` ahead of ours. Each round trip takes `rtts[i]` ms, split unevenly
   * (`outbound[i]` of it before the server reads its clock), so only the shortest trip gives the true offset.
   */
  function fakeServer(offset: number, rtts: number[], outbound: number[]) {
    const urls: string[] = [];
    let i = 0;
    const fetch = async (url: string | URL | Request) => {
      urls.push(String(url));
      const sample = i++;
      vi.advanceTimersByTime(outbound[sample]!);
      const now = Date.now() + offset;
      vi.advanceTimersByTime(rtts[sample]! - outbound[sample]!);
      return new Response(JSON.stringify({ now }));
    };
    return { fetch: fetch as typeof globalThis.fetch, urls };
  }

  it(`asks /time ${CLOCK_SAMPLES} times and keeps the sample with the shortest round trip`, async () => {
    const server = fakeServer(5000, [80, 10, 60, 40, 90], [70, 5, 5, 35, 10]);
    expect(await measureClockOffset("http://server.test", server.fetch)).toEqual({ offset: 5000, rtt: 10 });
    expect(server.urls).toEqual(Array(CLOCK_SAMPLES).fill("http://server.test/time"));
  });

  it("finds a server clock that is behind ours", async () => {
    const server = fakeServer(-1234, [20, 20, 4, 20, 20], [19, 1, 2, 10, 10]);
    expect(await measureClockOffset("", server.fetch)).toEqual({ offset: -1234, rtt: 4 });
  });

  it("ServerClock keeps the measurement with the shortest round trip, whatever the order", async () => {
    const clock = new ServerClock();
    expect(clock.offset).toBe(0);
    // A busy first measurement (shortest trip 40 ms, read early in it: 15 ms off), then a quiet one, then a busy one.
    await clock.sync("", fakeServer(700, [40, 50, 60, 70, 80], [5, 5, 5, 5, 5]).fetch);
    expect(clock.best).toEqual({ offset: 685, rtt: 40 });
    await clock.sync("", fakeServer(700, [4, 6, 6, 6, 6], [2, 1, 1, 1, 1]).fetch);
    expect(clock.best).toEqual({ offset: 700, rtt: 4 });
    await clock.sync("", fakeServer(700, [30, 30, 30, 30, 30], [1, 1, 1, 1, 1]).fetch);
    expect(clock.offset).toBe(700);
  });
});
