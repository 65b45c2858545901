import { describe, expect, it } from "vitest";
import { brokerLatency, check, cpuMsPerSecond, delivery, windowFigures } from "../../../bench/analysis/aggregate.ts";
import { RequestCounts } from "../../../server/counting/traffic-counts.ts";
import type { ServerReport } from "../../../bench/core/records.ts";

const report = (overrides: Partial<ServerReport>): ServerReport => ({
  requests: {},
  emptyResponses: 0,
  upgrades: 0,
  openSockets: 0,
  connections: 0,
  bytesRead: 0,
  bytesWritten: 0,
  cpuUserMicros: 0,
  cpuSystemMicros: 0,
  rssBytes: 0,
  maxRssBytes: 0,
  broadcasts: [],
  transports: new RequestCounts().byTransport(),
  paneReadings: { requests: 0, bytesIn: 0, bytesOut: 0 },
  ...overrides,
});

describe("windowFigures (byte and request accounting)", () => {
  it("is the difference of two snapshots, minus the publisher's own traffic", () => {
    const from = report({
      requests: { "GET /messages": 10 },
      bytesRead: 1000,
      bytesWritten: 2000,
      emptyResponses: 3,
      cpuUserMicros: 5000,
    });
    const to = report({
      requests: { "GET /messages": 30, "POST /messages": 4 },
      bytesRead: 9000,
      bytesWritten: 12000,
      emptyResponses: 13,
      upgrades: 2,
      connections: 5,
      cpuUserMicros: 8000,
      cpuSystemMicros: 1000,
    });
    const figures = windowFigures(from, to, 2000, { requests: 4, bytesIn: 1200, bytesOut: 800 });
    expect(figures).toEqual({
      ms: 2000,
      requests: 20,
      emptyResponses: 10,
      upgrades: 2,
      connections: 5,
      bytesIn: 6800,
      bytesOut: 9200,
      serverCpuMs: 4,
    });
    // Idle CPU: (8000 + 1000 − 5000) µs = 4 ms of server CPU over 2 s = 2 ms of CPU a second.
    expect(cpuMsPerSecond(figures)).toBe(2);
  });
});

describe("delivery", () => {
  const sentAt = [1000, 2000, 3000];
  const stored = [true, true, true];

  it("measures latency from each message's send time to its first receipt, client by client", () => {
    const result = delivery(
      {
        receipts: [
          [
            { seq: 0, at: 1010 },
            { seq: 1, at: 2020 },
            { seq: 2, at: 3030 },
          ],
          [
            { seq: 0, at: 1040 },
            { seq: 1, at: 2050 },
            { seq: 2, at: 3060 },
          ],
        ],
      },
      sentAt,
      stored,
    );
    expect(result).toMatchObject({ expected: 6, delivered: 6, lost: 0, duplicated: 0 });
    expect(result.latency.count).toBe(6);
    expect(result.latency.mean).toBeCloseTo(35, 1);
    expect(result.latency.max).toBeCloseTo(60, 1);
  });

  it("counts a message a client never got as lost and one it got twice as duplicated", () => {
    const result = delivery(
      {
        receipts: [
          [
            { seq: 0, at: 1001 },
            { seq: 0, at: 1500 },
            { seq: 2, at: 3001 },
          ],
        ],
      },
      sentAt,
      stored,
    );
    expect(result).toMatchObject({ expected: 3, delivered: 2, lost: 1, duplicated: 1 });
  });

  it("browser tabs: latency to paint, from the first receipt's frame drawn; none for clients that do not paint", () => {
    const painted = [
      { seq: 0, at: 1010, paintedAt: 1026 },
      { seq: 1, at: 2010, paintedAt: 2018 },
      { seq: 1, at: 2500, paintedAt: 2600 },
      { seq: 2, at: 3010, paintedAt: 3050 },
    ];
    const result = delivery({ receipts: [painted] }, sentAt, stored);
    // Paint latencies 26, 18 and 50 ms (the duplicate's 600 ms is not a first receipt): median 26, mean 31.3.
    expect(result.paint).toMatchObject({ count: 3 });
    expect(result.paint!.p50).toBeCloseTo(26, 1);
    expect(result.paint!.mean).toBeCloseTo(94 / 3, 1);
    expect(result.latency.p50).toBeCloseTo(10, 1);
    expect(delivery({ receipts: [[{ seq: 0, at: 1010 }]] }, sentAt, stored).paint).toBeUndefined();
  });

  it("expects only messages the server stored (answered 201)", () => {
    const result = delivery({ receipts: [[{ seq: 0, at: 1001 }]] }, sentAt, [true, false, false]);
    expect(result).toMatchObject({ expected: 1, delivered: 1, lost: 0 });
  });
});

describe("check (measured / predicted)", () => {
  it("passes within ±10 % and flags outside", () => {
    expect(check("x", 109, 100)).toMatchObject({ ratio: 1.09, ok: true });
    expect(check("x", 89, 100)).toMatchObject({ ok: false });
    expect(check("x", 0, 0)).toMatchObject({ ratio: null, ok: true });
    expect(check("x", 5, 0)).toMatchObject({ ratio: null, ok: false });
  });
});

describe("brokerLatency", () => {
  it("pairs each receipt with its message's publish, on whichever instance it was published", () => {
    const summary = brokerLatency({
      published: [
        [1, 1000],
        [2, 2000],
      ],
      received: [
        [1, 1001],
        [1, 1003],
        [2, 2002],
        [3, 9999],
      ], // 3: published before the window, not paired
    });
    expect(summary).toMatchObject({ count: 3, max: 3 });
    expect(summary!.p50).toBeCloseTo(2, 1);
  });

  it("is null when nothing was published (or the report has no broker times)", () => {
    expect(brokerLatency(undefined)).toBeNull();
    expect(brokerLatency({ published: [], received: [] })).toBeNull();
  });
});
