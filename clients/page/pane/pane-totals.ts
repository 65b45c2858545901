/**
 * A pane's own totals, as the server counted them at its TCP socket (server/counting/pane-traffic.ts), read back about once a
 * second with `GET /stats/pane/<pane id>`. That request carries no `?p=`, so it is in no pane's count; and it waits
 * for a quiet moment in its pane (QUIET_MS after the last request, answer, frame or event), so each reading falls
 * between two exchanges rather than in the middle of one.
 */
import { PATHS, type PaneTotalsBody } from "../../../shared/protocol.ts";
import type { TrafficMeter } from "./meter.ts";
import { serverAnswered, serverMissed } from "../ui/server-status.ts";

/** How often a pane reads its totals (ms). */
const READ_EVERY_MS = 1000;
/** How long the pane must have been quiet before a reading (ms); it waits at most READ_EVERY_MS for that. */
const QUIET_MS = 100;

/**
 * Reads the totals of `paneId` (its `?p=` id) until stopped, calling `onReading` with each. The first reading comes
 * once the pane got its first answer (or after READ_EVERY_MS): the pane shows it as the history, paid once.
 */
export function watchTotals(
  paneId: string,
  meter: TrafficMeter,
  onReading: (totals: PaneTotalsBody) => void,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAsked = false;
  let waitingSince = 0;
  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(read, ms);
  };
  async function read() {
    const now = Date.now();
    waitingSince ||= now;
    const quiet = now - meter.lastActivity;
    if (quiet < QUIET_MS && now - waitingSince < READ_EVERY_MS) return schedule(QUIET_MS - quiet);
    waitingSince = 0;
    firstAsked = true;
    try {
      const response = await fetchImpl(`${PATHS.paneStats}/${paneId}`, { cache: "no-store" });
      serverAnswered();
      if (response.ok && !stopped) onReading((await response.json()) as PaneTotalsBody);
    } catch {
      serverMissed(); // the server is unreachable: the page says so, and the next reading tries again
    }
    schedule(READ_EVERY_MS);
  }
  schedule(READ_EVERY_MS);
  // The first answer, frame or event: read as soon as the pane is quiet, so the history is what came before it.
  const unsubscribe = meter.onChange(() => {
    if (firstAsked) return;
    firstAsked = true;
    schedule(QUIET_MS);
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
