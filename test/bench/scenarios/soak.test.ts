import { describe, expect, it } from "vitest";
import { check, runSoak, SOAK_DEFAULTS, type Outcome } from "../../../bench/scenarios/soak.ts";
import { describeWithRedis } from "../../support/redis.ts";

describe("npm run soak (15 s here; 5 minutes by default)", () => {
  it("a full disk, a SIGKILL and a restart: every acknowledged message delivered once and kept, nothing refused kept", async () => {
    const result = await runSoak({ ...SOAK_DEFAULTS, seconds: 15 });
    expect(result.problems).toEqual([]);
    expect(result.restarts).toBe(1);
    expect(result.refused).toBeGreaterThan(0); // the disk really was full for a while
    expect(result.acked).toBeGreaterThan(100);
    expect([result.redisRestarts, result.lostWithRedis]).toEqual([0, 0]);
  }, 240_000);

  const m = (id: number, text: string, epoch = "e1") => ({ id, user: "u", text, sentAt: 0, epoch });

  it("check() reports a lost, a duplicated and a refused-but-kept message", () => {
    const outcomes = new Map<string, Outcome>([
      ["lost", { kind: "acked", id: 2, epoch: "e1" }],
      ["twice", { kind: "unknown" }],
      ["refused", { kind: "refused", why: "disk full" }],
    ]);
    const delivered = [m(3, "twice"), m(4, "twice"), m(5, "refused")];
    const history = [m(1, "first"), m(5, "refused")];
    const { problems } = check(outcomes, delivered, [
      { label: "after the run", expected: new Map([["lost", 2]]), epoch: "e1", history },
    ]);
    expect(problems).toEqual([
      expect.stringContaining('delivered as []: "lost"'),
      expect.stringContaining('delivered 2 times: "twice"'),
      expect.stringContaining('refused ("disk full") yet delivered: "refused"'),
      expect.stringContaining('[] in the history after the run: "lost"'),
      expect.stringContaining('refused yet in the history after the run: "refused"'),
    ]);
  });

  it("check() excuses only the undelivered tail of an epoch Redis lost, not a gap below it or another epoch", () => {
    const outcomes = new Map<string, Outcome>([
      ["delivered", { kind: "acked", id: 5, epoch: "old" }],
      ["gap", { kind: "acked", id: 4, epoch: "old" }], // below a delivered id: a hole, ours
      ["tail", { kind: "acked", id: 6, epoch: "old" }], // after the last delivered: Redis took it with it
      ["kept epoch", { kind: "acked", id: 2, epoch: "new" }], // the new history is ours to keep
    ]);
    const delivered = [m(5, "delivered", "old"), m(1, "first message", "new")];
    const { problems, lostWithRedis } = check(outcomes, delivered, [], new Set(["old"]));
    expect(lostWithRedis).toBe(1);
    expect(problems).toEqual([
      expect.stringContaining('acknowledged as id 4 but delivered as []: "gap"'),
      expect.stringContaining('acknowledged as id 2 but delivered as []: "kept epoch"'),
    ]);
  });
});

describeWithRedis("npm run soak -- --redis (10 s here)", () => {
  it("redis-server restarted empty and a SIGKILL: every acknowledged message delivered once, but Redis's lost tail", async () => {
    const result = await runSoak({ ...SOAK_DEFAULTS, seconds: 10, redis: true });
    expect(result.problems).toEqual([]);
    expect([result.restarts, result.redisRestarts]).toEqual([1, 1]);
    expect(result.acked).toBeGreaterThan(100);
    // A few at most: only what the old Redis acknowledged and had not passed on when it was killed.
    expect(result.lostWithRedis).toBeLessThan(20);
  }, 240_000);
});
