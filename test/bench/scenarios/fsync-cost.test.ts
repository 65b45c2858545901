import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFsyncCost } from "../../../bench/output/fsync-report.ts";
import { measureFsyncCost } from "../../../bench/scenarios/fsync-cost.ts";

describe("npm run bench:fsync", () => {
  it("measures both modes side by side and prints their ratio with the load average", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fsync-cost-"));
    try {
      const options = { posts: 20, rounds: 2, dir };
      const cost = await measureFsyncCost(options);
      expect(cost.modes.map((m) => m.fsync).sort()).toEqual(["always", "never"]);
      for (const mode of cost.modes) {
        expect(mode.p50).toBeGreaterThan(0);
        expect(mode.postsPerSecond).toBeGreaterThan(0);
      }
      const [always, never] = ["always", "never"].map((f) => cost.modes.find((m) => m.fsync === f)!);
      expect(cost.latencyRatio).toBeCloseTo(always!.p50 / never!.p50);
      expect(formatFsyncCost(cost, options)).toMatch(/load average [\d.]+ [\d.]+ [\d.]+[\s\S]*always is [\d.]+x/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
