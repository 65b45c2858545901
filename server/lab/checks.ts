import type { Criterion, ExerciseId, Shown, WireFigures } from "../../shared/lab.ts";

/** A poll loop "every 1000 ms" is one whose median gap between polls lies in this band (ms). */
const SPACING_BAND_MS = [800, 1300] as const;
/** Polls the loop must have made before its spacing says anything. */
const MIN_POLLS = 3;

/** What a run's checks read: the server's own figures and records, and what the page says `show()` was given. */
export interface RunEvidence {
  exercise: ExerciseId;
  wire: WireFigures;
  /** Ids the server put in this run's HTTP answers (GET /messages), from the answers' bodies. */
  answered: ReadonlySet<number>;
  /** Messages the server stored while the run was listening (after its first poll or its first socket), in order. */
  stored: readonly { id: number; sentAt: number }[];
  /** Sockets this run's sockets were cut by the lab's "restart" (exercise 4). */
  cuts: number;
  shown: readonly Shown[];
}

/** How many times each id was shown. */
function tally(shown: readonly Shown[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { id } of shown) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Expected ids against shown ones: how many shown, missing, the most repeated, the median latency. */
function delivery(expected: ReadonlySet<number>, evidence: RunEvidence) {
  const counts = tally(evidence.shown);
  let worstId = 0;
  let worstTimes = 0;
  let repeats = 0;
  for (const [id, times] of counts) {
    if (times > 1) repeats += times - 1;
    if (times > worstTimes) [worstId, worstTimes] = [id, times];
  }
  const firstShown = new Map<number, number>();
  for (const { id, at } of evidence.shown) if (id !== null && !firstShown.has(id)) firstShown.set(id, at);
  const latencies = evidence.stored
    .filter(({ id }) => firstShown.has(id))
    .map(({ id, sentAt }) => Math.max(0, firstShown.get(id)! - sentAt))
    .sort((a, b) => a - b);
  const missing = [...expected].filter((id) => !counts.has(id));
  return {
    expected: expected.size,
    shown: expected.size - missing.length,
    missing: missing.length,
    firstMissing: missing[0] ?? 0,
    repeats,
    worstId,
    worstTimes,
    latency: latencies.length ? Math.round(latencies[Math.floor(latencies.length / 2)]!) : "–",
  };
}

/**
 * The checklist of one exercise, criterion by criterion, each with the figures measured. It reads only what the
 * server counted and stored, and the ids `show()` was given: nothing the student's code could set says "passed".
 */
export function checkRun(evidence: RunEvidence): Criterion[] {
  const { wire, answered, stored, exercise } = evidence;
  const seconds = Math.round(wire.seconds);
  const bytes = { bytesIn: wire.bytesIn ?? "–", bytesOut: wire.bytesOut ?? "–" };
  const limits: Criterion[] = wire.limits.map((limit) => ({ key: "limit", ok: false, figures: { limit } }));
  if (exercise === "fetch-once") {
    const got = delivery(answered, evidence);
    const later = stored.filter(({ id }) => !answered.has(id)).length;
    return [
      { key: "fetched-once", ok: wire.polls === 1, figures: { polls: wire.polls, seconds } },
      { key: "shown-answer", ok: wire.polls > 0 && got.missing === 0 && got.repeats === 0, figures: got },
      { key: "never-new", ok: true, info: true, figures: { later } },
      ...limits,
    ];
  }
  if (exercise === "polling") {
    const expected = new Set([...answered, ...stored.map(({ id }) => id)]);
    const got = delivery(expected, evidence);
    const spacing = wire.spacingMs ?? "–";
    const steady =
      wire.polls >= MIN_POLLS &&
      wire.spacingMs !== null &&
      wire.spacingMs >= SPACING_BAND_MS[0] &&
      wire.spacingMs <= SPACING_BAND_MS[1];
    return [
      { key: "polls-every-second", ok: steady, figures: { polls: wire.polls, seconds, spacing } },
      {
        key: "uses-since",
        ok: wire.polls >= 2 && wire.withSince >= wire.polls - 1,
        figures: { withSince: wire.withSince, polls: wire.polls },
      },
      { key: "no-repeats", ok: got.repeats === 0 && got.expected > 0, figures: { ...got, withSince: wire.withSince } },
      { key: "none-missing", ok: got.missing === 0 && got.expected > 0, figures: got },
      {
        key: "empty-answers",
        ok: true,
        info: true,
        figures: { empty: wire.emptyAnswers, polls: wire.polls, ...bytes },
      },
      ...limits,
    ];
  }
  const got = delivery(new Set(stored.map(({ id }) => id)), evidence);
  const socketChecks: Criterion[] = [
    {
      key: "one-socket",
      ok: exercise === "restart" ? wire.maxOpenSockets === 1 : wire.upgrades === 1 && wire.maxOpenSockets === 1,
      figures: { upgrades: wire.upgrades, maxOpen: wire.maxOpenSockets },
    },
    { key: "no-polls", ok: wire.polls === 0, figures: { polls: wire.polls } },
    { key: "shows-each", ok: got.expected > 0 && got.missing === 0 && got.repeats === 0, figures: got },
  ];
  if (exercise === "connect")
    return [
      ...socketChecks,
      { key: "sends", ok: wire.framesIn > 0, figures: { frames: wire.framesIn } },
      { key: "socket-bytes", ok: true, info: true, figures: bytes },
      ...limits,
    ];
  return [
    ...socketChecks,
    {
      key: "reconnects",
      ok: evidence.cuts > 0 && wire.upgrades > evidence.cuts && wire.openSockets === 1,
      figures: { cuts: evidence.cuts, upgrades: wire.upgrades },
    },
    ...limits,
  ];
}

/** An exercise is passed when every criterion that is not information is met. */
export const passed = (checks: readonly Criterion[]) => checks.every((check) => check.ok || check.info);
