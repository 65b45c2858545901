import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { parseCli, plan } from "../../../bench/cli/bench.ts";
import { mergeReports } from "../../../bench/servers/cluster.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { run } from "../../../bench/scenarios/run.ts";
import { describeWithRedis } from "../../support/redis.ts";

describe("mergeReports", () => {
  it("adds numbers, joins arrays and merges nested records key by key", () => {
    const a = {
      requests: { "GET /messages": 3 },
      bytesRead: 10,
      broadcasts: [1],
      broker: { published: [[1, 5]], received: [] },
    };
    const b = {
      requests: { "GET /messages": 2, "POST /messages": 1 },
      bytesRead: 7,
      broadcasts: [2],
      broker: { published: [], received: [[1, 6]] },
    };
    expect(mergeReports([a, b])).toEqual({
      requests: { "GET /messages": 5, "POST /messages": 1 },
      bytesRead: 17,
      broadcasts: [1, 2],
      broker: { published: [[1, 5]], received: [[1, 6]] },
    });
  });
});

describe("--instances", () => {
  it("is 1 by default (one process, no Redis) and reaches every planned run", () => {
    expect(plan(parseCli([])).map((run) => run.instances)).toEqual(plan(parseCli([])).map(() => 1));
    const runs = plan(parseCli(["--instances", "2", "--modes", "polling,socket"]));
    expect(runs.map((run) => run.instances)).toEqual([2, 2]);
  });

  it("must be a positive number", () => {
    expect(() => parseCli(["--instances", "0"])).toThrow(/--instances must be a positive number/);
  });
});

describeWithRedis("bench run with --instances 2", () => {
  it("spreads the clients over both instances, loses nothing, and measures the broker through Redis", async () => {
    const summary = summarize(
      await run({
        groups: [{ mode: BENCH_MODES.socket, clients: 4 }],
        instances: 2,
        interval: 200,
        duration: 1000,
        rate: 5,
        arrivals: "steady",
        idle: 300,
      }),
    );
    expect(summary.instances).toBe(2);
    expect(summary.groups[0]).toMatchObject({ expected: 20, delivered: 20, lost: 0, duplicated: 0, clientSockets: 4 });
    expect(summary.totals.serverUpgrades).toBe(4);
    // Each instance timed its own broadcasts: two per message, to the two sockets each holds.
    expect(summary.broadcast).toMatchObject({ sockets: 2, count: 10 });
    // Every message handed to the transports of both instances: 5 messages × 2 instances.
    expect(summary.broker).toMatchObject({ count: 10 });
    expect(summary.broker!.p50).toBeGreaterThan(0);
  });

  it("spreads --browser tabs over both instances too (tab i on instance i mod 2)", async () => {
    const summary = summarize(
      await run({
        groups: [{ mode: BENCH_MODES.socket, clients: 2, where: "browser" }],
        instances: 2,
        interval: 200,
        duration: 600,
        rate: 5,
        arrivals: "steady",
        idle: 300,
      }),
    );
    expect(summary.groups[0]).toMatchObject({ where: "browser", expected: 6, delivered: 6, lost: 0, duplicated: 0 });
    expect(summary.totals.serverUpgrades).toBe(2);
    // One tab's socket on each instance: no broadcast reached two sockets (all tabs on one instance would be 2).
    expect(summary.broadcast).toMatchObject({ sockets: 1 });
  });
});
