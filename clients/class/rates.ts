import type { ClassNumbers } from "../../shared/class-protocol.ts";
import { TRANSPORT_IDS, type TransportId } from "../../shared/transports.ts";

/** What the charts draw: per second, between two readings of GET /class/numbers. */
export interface Rates {
  /** Seconds since the epoch, the second reading's. */
  at: number;
  transports: Record<TransportId, { requests: number; emptyAnswers: number; bytesIn: number; bytesOut: number }>;
  /** The server process's CPU time over wall time, in % of one core; null where the runtime does not say. */
  cpuPercent: number | null;
}

/** The rates between `before` and `after`; undefined when there are none to draw (no time passed, or a new chat). */
export function ratesBetween(before: ClassNumbers, after: ClassNumbers): Rates | undefined {
  const seconds = (after.at - before.at) / 1000;
  // Across a new chat or a server restart the counts start again: no rate can be drawn between the two.
  if (seconds <= 0 || after.chatNumber !== before.chatNumber || after.boot !== before.boot) return undefined;
  const perSecond = (now: number, then: number) => Math.max(0, now - then) / seconds;
  const transports = {} as Rates["transports"];
  for (const id of TRANSPORT_IDS) {
    const [now, then] = [after.transports[id], before.transports[id]];
    transports[id] = {
      requests: perSecond(now.requests, then.requests),
      emptyAnswers: perSecond(now.emptyAnswers, then.emptyAnswers),
      bytesIn: perSecond(now.bytesIn, then.bytesIn),
      bytesOut: perSecond(now.bytesOut, then.bytesOut),
    };
  }
  const cpu = after.cpuMicros !== null && before.cpuMicros !== null ? after.cpuMicros - before.cpuMicros : null;
  return { at: after.at / 1000, transports, cpuPercent: cpu === null ? null : (cpu / 1000 / (seconds * 1000)) * 100 };
}
