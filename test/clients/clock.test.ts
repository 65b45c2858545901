import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CLOCK_SAMPLES, measureClockOffset } from "../../clients/clock.ts";

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
    expect(await measureClockOffset("http://server.test", server.fetch)).toBe(5000);
    expect(server.urls).toEqual(Array(CLOCK_SAMPLES).fill("http://server.test/time"));
  });

  it("finds a server clock that is behind ours", async () => {
    const server = fakeServer(-1234, [20, 20, 4, 20, 20], [19, 1, 2, 10, 10]);
    expect(await measureClockOffset("", server.fetch)).toBe(-1234);
  });
});
