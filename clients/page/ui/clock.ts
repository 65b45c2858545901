import { PATHS, type TimeBody } from "../../../shared/protocol.ts";

/** How many round trips one measurement times; the one with the shortest round trip gives the best offset. */
export const CLOCK_SAMPLES = 5;

/** When to measure again after the first time (ms after load): the page is busiest while it loads. */
export const CLOCK_RESYNC_MS = [3_000, 15_000, 60_000];

/** The server's clock minus ours, and the round trip it was read in: the offset is right to within `rtt / 2`. */
export interface ClockSample {
  offset: number;
  rtt: number;
}

/**
 * How far the server's clock is ahead of ours, in ms, measured as NTP does: the server's time is taken
 * to be read halfway through the round trip. Latency = our now + offset − message.sentAt holds even when
 * the server is another machine in the classroom with its own clock.
 */
export async function measureClockOffset(
  baseUrl = "",
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<ClockSample> {
  let best: ClockSample = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < CLOCK_SAMPLES; i++) {
    const start = Date.now();
    const { now } = (await (await fetchImpl(`${baseUrl}${PATHS.time}`)).json()) as TimeBody;
    const end = Date.now();
    if (end - start < best.rtt) best = { rtt: end - start, offset: now - (start + end) / 2 };
  }
  return best;
}

/**
 * The best estimate so far: every measurement is kept only if its round trip was shorter than the best one's
 * (NTP's minimum filter), so an estimate made while the page was busy loading is replaced by a tighter one later.
 */
export class ServerClock {
  best: ClockSample | undefined;

  get offset(): number {
    return this.best?.offset ?? 0;
  }

  async sync(baseUrl = "", fetchImpl: typeof fetch = globalThis.fetch): Promise<ClockSample> {
    const sample = await measureClockOffset(baseUrl, fetchImpl);
    if (!this.best || sample.rtt < this.best.rtt) this.best = sample;
    return this.best;
  }
}
