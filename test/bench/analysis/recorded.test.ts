import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { ratioRows } from "../../../bench/analysis/ratios.ts";
import type { RunRecord } from "../../../bench/core/records.ts";

/** Two short real runs as run() handed them back (fixtures/record-runs.ts): 3 pollers at T=500 ms, then 3 sockets. */
const records: RunRecord[] = JSON.parse(readFileSync(new URL("../fixtures/runs.json", import.meta.url), "utf8"));
const [polling, socket] = records as [RunRecord, RunRecord];

describe("the analysis on recorded runs (test/bench/fixtures/runs.json)", () => {
  it("is pure: the same record gives the same figures, and the record is left as it was", () => {
    const before = structuredClone(records);
    expect(summarize(polling)).toEqual(summarize(structuredClone(polling)));
    expect(records.map(summarize)).toEqual(records.map(summarize));
    expect(records).toEqual(before);
  });

  it("counts every delivery from the receipts: 3 clients × 10 messages, none lost, none twice", () => {
    for (const record of records) {
      const [group] = summarize(record).groups;
      expect(group).toMatchObject({ clients: 3, expected: 30, delivered: 30, lost: 0, duplicated: 0, clientErrors: 0 });
      expect(group!.latency.count).toBe(30);
    }
  });

  it("takes the idle window's figures from the server's snapshots, and per second from its measured length", () => {
    const { idleStart, idleEnd } = polling.snapshots;
    const summary = summarize(polling);
    expect(summary.idle.bytesIn).toBe(idleEnd.bytesRead - idleStart.bytesRead);
    expect(summary.idle.bytesOut).toBe(idleEnd.bytesWritten - idleStart.bytesWritten);
    expect(summary.idleBytesPerSecond).toBeCloseTo(
      ((summary.idle.bytesIn + summary.idle.bytesOut) * 1000) / polling.idleMs,
      6,
    );
  });

  it("checks polling against its model: requests and idle bytes inside ±10 %, the busy machine's latency outside", () => {
    const summary = summarize(polling);
    const model = Object.fromEntries(summary.model.map((check) => [check.what, check]));
    expect(model.requests).toMatchObject({ measured: 14, ok: true });
    expect(model.requests!.predicted).toBeCloseTo((3 * polling.publishMs) / 500, 6);
    expect(model["idle bytes"]).toMatchObject({ measured: 2634, ok: true });
    // Recorded at a load average of 43 on 2 cores: the mean wait is longer than T/2 + RTT, and the report says so.
    expect(summary.groups[0]!.model[0]).toMatchObject({ what: "latency mean (ms)", ok: false });
    expect(summary.problems).toEqual([expect.stringMatching(/^model: latency mean/)]);
    expect(summary.failed).toBe(false);
  });

  it("socket: no request and no idle byte, as its model says; one upgrade per client", () => {
    const summary = summarize(socket);
    expect(summary.publish.requests).toBe(0);
    expect(summary.idleBytesPerSecond).toBe(0);
    expect(summary.totals).toEqual({ serverRequests: 0, clientRequests: 0, serverUpgrades: 3, clientSockets: 3 });
    expect(summary.model.every((check) => check.ok)).toBe(true);
    expect(summary.perMessage.bytes).toBeCloseTo(104.2, 1);
  });

  it("finds no rival to set our runs against when none ran", () => {
    expect(ratioRows(records.map(summarize))).toEqual([]);
  });
});
