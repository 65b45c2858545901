import { describe, expect, it } from "vitest";
import { check, runSoak, SOAK_DEFAULTS } from "../../bench/soak.ts";

describe("npm run soak (15 s here; 5 minutes by default)", () => {
  it("a full disk, a SIGKILL and a restart: every acknowledged message delivered once and kept, nothing refused kept",
    async () => {
      const result = await runSoak({ ...SOAK_DEFAULTS, seconds: 15 });
      expect(result.problems).toEqual([]);
      expect(result.restarts).toBe(1);
      expect(result.refused).toBeGreaterThan(0); // the disk really was full for a while
      expect(result.acked).toBeGreaterThan(100);
    }, 90_000);

  it("check() reports a lost, a duplicated and a refused-but-kept message", () => {
    const outcomes = new Map([
      ["lost", { kind: "acked" as const, id: 2 }],
      ["twice", { kind: "unknown" as const }],
      ["refused", { kind: "refused" as const, why: "disk full" }],
    ]);
    const m = (id: number, text: string) => ({ id, user: "u", text, sentAt: 0 });
    const delivered = [m(3, "twice"), m(4, "twice"), m(5, "refused")];
    const problems = check(outcomes, delivered, [
      { label: "after the run", expected: new Map([["lost", 2]]), history: [m(1, "first"), m(5, "refused")] },
    ]);
    expect(problems).toEqual([
      expect.stringContaining('delivered as []: "lost"'),
      expect.stringContaining('delivered 2 times: "twice"'),
      expect.stringContaining('refused ("disk full") yet delivered: "refused"'),
      expect.stringContaining('[] in the history after the run: "lost"'),
      expect.stringContaining('refused yet in the history after the run: "refused"'),
    ]);
  });
});
