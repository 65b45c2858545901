import { PATHS, type TimeBody } from "../shared/protocol.ts";

/** How many round trips to time; the one with the shortest round trip gives the best offset. */
export const CLOCK_SAMPLES = 5;

/**
 * How far the server's clock is ahead of ours, in ms, measured as NTP does: the server's time is taken
 * to be read halfway through the round trip. Latency = our now + offset − message.sentAt holds even when
 * the server is another machine in the classroom with its own clock.
 */
export async function measureClockOffset(baseUrl = "", fetchImpl: typeof fetch = globalThis.fetch): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < CLOCK_SAMPLES; i++) {
    const start = Date.now();
    const { now } = (await (await fetchImpl(`${baseUrl}${PATHS.time}`)).json()) as TimeBody;
    const end = Date.now();
    if (end - start < best.rtt) best = { rtt: end - start, offset: now - (start + end) / 2 };
  }
  return best.offset;
}
