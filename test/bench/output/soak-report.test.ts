import { describe, expect, it } from "vitest";
import { formatSoak } from "../../../bench/output/soak-report.ts";
import type { SoakResult } from "../../../bench/scenarios/soak.ts";

const result: SoakResult = {
  acked: 120,
  refused: 7,
  unknown: 2,
  delivered: 240,
  restarts: 3,
  redisRestarts: 0,
  lostWithRedis: 0,
  compaction: { noisyBytesPerPost: 4967, shortBytesPerPost: 70 },
  problems: [],
};

describe("formatSoak", () => {
  it("says what was acknowledged, refused and delivered, and that all is well when nothing went wrong", () => {
    const text = formatSoak(result);
    expect(text).toMatch(/^acknowledged 120, refused 7 .* no answer 2 .* delivered 240, restarts 3/);
    expect(text).toMatch(/ok: every acknowledged message delivered exactly once/);
    expect(text).toMatch(/4967 for 500 control characters, then 70 for a short one \(bound 65536\)/);
    expect(text).not.toMatch(/redis-server/);
  });

  it("lists every problem, and what Redis lost when it restarted empty", () => {
    const text = formatSoak({ ...result, redisRestarts: 2, lostWithRedis: 4, problems: ["#5 delivered twice"] });
    expect(text).toMatch(/redis-server restarted empty 2 times; lost with its data: 4/);
    expect(text).toMatch(/PROBLEM: #5 delivered twice/);
    expect(text).not.toMatch(/^ok:/m);
  });
});
