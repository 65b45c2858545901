import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { run } from "../../../bench/scenarios/run.ts";

describe("bench --browser: real Chromium tabs", () => {
  it("WebSocket tabs make no HTTP request in the measured windows, however long the run (the page's clock is measured once, at load)", async () => {
    // Long enough that the page's clock re-measurements (3 s after load, clients/page/ui/clock.ts CLOCK_RESYNC_MS) would fall
    // inside the idle or publish window if the bench's tabs made them.
    const summary = summarize(
      await run({
        groups: [{ mode: BENCH_MODES.socket, clients: 2, where: "browser" }],
        interval: 500,
        duration: 3000,
        rate: 4,
        arrivals: "steady",
        idle: 1000,
      }),
    );
    expect(summary.groups[0]).toMatchObject({ where: "browser", lost: 0, duplicated: 0, clientSockets: 2 });
    expect(summary.groups[0]!.delivered).toBeGreaterThan(0);
    expect(summary.idle).toMatchObject({ requests: 0, bytesIn: 0, bytesOut: 0 });
    expect(summary.publish.requests).toBe(0);
    // To paint: each delivered message's frame drawn, no sooner than its DOM insertion.
    const { latency, paint } = summary.groups[0]!;
    expect(paint?.count).toBe(summary.groups[0]!.delivered);
    expect(paint!.p50).toBeGreaterThanOrEqual(latency.p50);
    expect(paint!.max).toBeGreaterThanOrEqual(latency.max);
  });
});
