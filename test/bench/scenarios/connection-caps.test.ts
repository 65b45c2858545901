import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { run } from "../../../bench/scenarios/run.ts";
import { MAX_HEADER_BYTES } from "../../../server/limits/connection-limits.ts";

// The sweep's largest runs (10,000 sockets, then 10,000 pollers) scaled down: the server's caps at 20 in all and
// 10 per address, and more clients than that, from one address (127.0.0.1), as the bench's are.
const scaledCaps = { total: 20, perAddress: 10, headerBytes: MAX_HEADER_BYTES };
const CLIENTS = 30;

describe("the bench and the server's connection caps", () => {
  it("more sockets and pollers than the caps: the bench lifts them for its run, and every client gets every message", async () => {
    const summary = summarize(
      await run({
        groups: [
          { mode: BENCH_MODES.socket, clients: CLIENTS },
          { mode: BENCH_MODES.polling, clients: CLIENTS },
        ],
        connectionLimits: scaledCaps,
        connectDeadline: 20_000,
        interval: 500,
        duration: 1000,
        rate: 4,
        arrivals: "steady",
        idle: 500,
      }),
    );
    for (const group of summary.groups)
      expect(group).toMatchObject({ clients: CLIENTS, expected: 4 * CLIENTS, lost: 0, duplicated: 0 });
  });

  it("clients the server never lets in fail the run with a clear message within its deadline, not a hang", async () => {
    const started = Date.now();
    await expect(
      run({
        groups: [{ mode: BENCH_MODES.socket, clients: CLIENTS }],
        connectionLimits: scaledCaps,
        keepCaps: true,
        connectDeadline: 2000,
        interval: 500,
        duration: 1000,
        rate: 4,
      }),
    ).rejects.toThrow(/clients could not connect within 2 s of starting \(30 socket\)/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
