import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { run } from "../../../bench/scenarios/run.ts";
import type { BenchId } from "../../../shared/transports.ts";

// Short real runs of the modes beyond polling and WebSocket: a server process, the real client modules, a few messages.
const shortRun = async (mode: BenchId, clients: number) =>
  summarize(
    await run({
      groups: [{ mode: BENCH_MODES[mode], clients }],
      interval: 200,
      duration: 1000,
      rate: 5,
      arrivals: "steady",
      idle: 400,
    }),
  );

describe("bench modes: conditional polling, long polling, SSE", () => {
  it("conditional: polls like polling (requests match the server's), each message once, idle answers are 304s", async () => {
    const summary = await shortRun("conditional", 3);
    expect(summary.groups[0]).toMatchObject({ expected: 15, delivered: 15, lost: 0, duplicated: 0 });
    expect(summary.totals.serverRequests).toBe(summary.totals.clientRequests);
    const { idle, calibration } = summary;
    expect(idle.requests).toBeGreaterThan(0);
    expect(idle.emptyResponses).toBe(idle.requests);
    // A 304 (no body, no content headers) is smaller than a 200 with [], but the request carries If-None-Match.
    expect(idle.bytesOut / idle.requests).toBeLessThan(calibration.emptyResponseBytes);
    expect(idle.bytesIn / idle.requests).toBeGreaterThan(calibration.requestBytes);
    expect(summary.failed).toBe(false);
  });

  it("longpoll: each message once, and no request in a quiet window shorter than the hold time", async () => {
    const summary = await shortRun("longpoll", 3);
    expect(summary.groups[0]).toMatchObject({ expected: 15, delivered: 15, lost: 0, duplicated: 0 });
    expect(summary.idle.requests).toBe(0);
    // At least one answer per client per message that arrived while it waited, fewer if messages batch.
    expect(summary.publish.requests).toBeGreaterThan(3);
    expect(summary.failed).toBe(false);
  });

  it("sse: one request per client for the whole run, each message once", async () => {
    const summary = await shortRun("sse", 3);
    expect(summary.groups[0]).toMatchObject({ expected: 15, delivered: 15, lost: 0, duplicated: 0, clientRequests: 3 });
    expect(summary.publish.requests).toBe(0);
    expect(summary.idle.bytesIn + summary.idle.bytesOut).toBe(0);
    expect(summary.failed).toBe(false);
  });
});
