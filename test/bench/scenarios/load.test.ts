import { describe, expect, it } from "vitest";
import { parseLoadArgs } from "../../../bench/cli/load.ts";
import { formatFullRoom, formatLoad } from "../../../bench/output/load-report.ts";
import { LOAD_DEFAULTS, loadGroups, runLoad } from "../../../bench/scenarios/load.ts";

describe("npm run load", () => {
  it("defaults to the issue's load: 1000 sockets + 1000 pollers for 60 s; flags shorten it", () => {
    expect(LOAD_DEFAULTS).toMatchObject({ sockets: 1000, pollers: 1000, duration: 60 });
    expect(parseLoadArgs(["--duration", "5", "--sockets", "10"])).toMatchObject({
      duration: 5,
      sockets: 10,
      pollers: 1000,
    });
    expect(() => parseLoadArgs(["--rate", "fast"])).toThrow(/--rate must be/);
    const names = loadGroups(LOAD_DEFAULTS).map((g) => g.mode.name);
    expect(names).toContain("socket");
    expect(names).toContain("polling");
  });

  // In CI with small counts and a few seconds (stated as such): the full run is `npm run load` (see README ## Load).
  it("a small run (20 sockets + 20 pollers + 5 of each other mode, 2 s): 0 errors, 0 lost, every client got every message", async () => {
    const options = { ...LOAD_DEFAULTS, sockets: 20, pollers: 20, others: 5, duration: 2, rate: 10, interval: 250 };
    const result = await runLoad(options);
    expect(result.summary.publisher.posted).toBeGreaterThan(0);
    expect(result.errors).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.duplicated).toBe(0);
    for (const group of result.summary.groups) {
      expect(group.delivered).toBe(group.expected);
      expect(group.latency.p99).toBeGreaterThan(0);
    }
    expect(result.serverPeakRssBytes).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
    const text = formatLoad(result, options);
    expect(text).toMatch(/errors +0/);
    expect(text).toMatch(/messages lost +0/);
    expect(text).toContain("p99 ms");
  });

  // The full room at the real caps runs in `npm run load` only (10,100 connections, ~20 s); at scaled-down caps it is
  // test/server/node/connection-guard.test.ts. Here: its flag, and that its line says what failed.
  it("the full room: --full-room 0 skips it; its line names the newcomer's and the teacher's answers", () => {
    expect(parseLoadArgs(["--full-room", "0", "--duration", "5"])).toMatchObject({ duration: 5 });
    const served = { opened: 10_100, held: 9998, newcomer: 200, teacher: 200, ms: 21_300, ok: true };
    expect(formatFullRoom(served)).toMatch(/9998 held, 102 refused; .* got 200 .* got 200[\s\S]*OK: the room full/);
    expect(formatFullRoom({ ...served, teacher: "ECONNRESET", ok: false })).toMatch(/got ECONNRESET[\s\S]*FAILED/);
  });
});
