import { readdirSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { describe, expect, it } from "vitest";
import { probeMachine } from "../../../bench/probes/machine-probe.ts";
import { machineProbeLines } from "../../../bench/output/print.ts";
import { createReport, toJson } from "../../../bench/output/json.ts";
import { toMarkdown } from "../../../bench/output/markdown.ts";

/** Command lines of this process's children (from /proc: `ps` exits 1 when there are none). */
function children(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // Field 4 of /proc/<pid>/stat is the parent's pid; the command name before it is in parentheses.
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (ppid === process.pid) found.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Every number anywhere in `value`. */
const numbers = (value: unknown): number[] =>
  typeof value === "number" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(numbers) : [];

describe("probeMachine (bench --machine)", () => {
  it("times round trips and a broadcast against a process of its own, and leaves no process behind", async () => {
    const probe = await probeMachine({ samples: 5, broadcasts: 3, sockets: 5, gapMs: 5, warmup: 2 });

    const { machine, ...measured } = probe;
    expect(numbers(measured).filter((n) => !(Number.isFinite(n) && n > 0))).toEqual([]);
    expect(probe.gapMs).toBe(5);
    for (const trips of [probe.http, probe.websocket]) {
      expect(trips.backToBack.count).toBe(5);
      expect(trips.spaced.count).toBe(5);
      expect(trips.spaced.p90).toBeGreaterThanOrEqual(trips.spaced.p50);
    }
    expect(probe.broadcast).toMatchObject({
      sockets: 5,
      loop: { count: 3 },
      firstReceipt: { count: 3 },
      lastReceipt: { count: 3 },
      eachReceipt: { count: 15 },
    });
    expect(probe.broadcast.microsPerSocket).toBeCloseTo((probe.broadcast.loop.p50 * 1000) / 5);

    expect(machine).toMatchObject({ kernel: release(), node: process.version });
    expect(machine.cpus).toBeGreaterThan(0);
    expect(machine.loadAverage).toHaveLength(3);
    expect(machine.loadAverage.every((l) => Number.isFinite(l) && l >= 0)).toBe(true);
    if (machine.haltPoll !== null) expect(machine.haltPoll).toMatch(/guest_halt_poll_ns/);

    expect(children().filter((command) => command.includes("machine-probe-entry"))).toEqual([]);

    // Printed and reported: the same lines on the terminal and in the Markdown; the JSON carries the numbers.
    const lines = machineProbeLines(probe);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`back to back p50 ${probe.http.backToBack.p50.toFixed(2)} ms`);
    const report = createReport({ machine: true }, [], false, probe);
    expect(toMarkdown(report)).toContain(`## This machine (--machine)\n\n- ${lines[0]}`);
    expect(JSON.parse(toJson(report)).machineProbe).toEqual(probe);
  });
});
