import { describe, expect, it } from "vitest";
import { formatTable, wrap } from "../../../bench/output/print.ts";
import { growthLines, project, projectionTable } from "../../../bench/analysis/projection.ts";
import { sweepSlopes } from "../../../bench/analysis/slopes.ts";
import { sweepRun } from "../../support/sweep-runs.ts";

describe("projection from the sweep's slopes", () => {
  const runs = [1, 10, 100, 1000].flatMap((n) => [
    sweepRun("polling", n, 1000, { idle: 390, cpu: 0.04, rss: 4096 }),
    sweepRun("socket", n, 1000, { idle: 0, cpu: 0.02, rss: 8192, broadcastMs: 0.002 }),
  ]);
  const slopes = sweepSlopes(runs);

  it("extends each line to 30, 1,000 and 100,000 clients: hand-computed", () => {
    const polling = project(slopes).filter((p) => p.series === "polling T=1000 ms");
    expect(polling.map((p) => p.clients)).toEqual([30, 1000, 100_000]);
    // 100,000 × 390 B/s × 8 = 312 Mbit/s idle; 624 publishing; 100,000 req/s; 100,000 × 0.04 ms/s = 4 cores.
    expect(polling[2]!.idleMbps).toBeCloseTo(312, 6);
    expect(polling[2]!.mbps).toBeCloseTo(624, 6);
    expect(polling[2]!.requestsPerSecond).toBeCloseTo(100_000, 3);
    expect(polling[2]!.cpuCores).toBeCloseTo(4, 6);
    // 50 MiB + 30 × 4 kB.
    expect(polling[0]!.rssMB).toBeCloseTo(50 + (30 * 4096) / 2 ** 20, 6);
  });

  it("is marked a projection, beside websocket.org's model marked as theirs, within 100 columns", () => {
    const table = projectionTable(project(slopes), 10);
    expect(table[0]![0]).toBe("projection (from the fit)");
    expect(table.filter((row) => row[0]!.startsWith("websocket.org MODEL")).map((row) => [row[1], row[2]])).toEqual([
      ["1,000", "6.6"],
      ["10,000", "66"],
      ["100,000", "665"],
    ]);
    const lines = growthLines(slopes, formatTable).flatMap((line) => wrap(line, 100));
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(100);
    expect(growthLines([], formatTable)).toEqual([]);
  });
});
