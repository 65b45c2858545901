import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { networkModel, roomRows, type RoomPass } from "../../../bench/scenarios/room.ts";

const room = { rttMs: 40, interval: 1000, rate: 10, arrivals: "poisson" };
const byName = (name: string) => Object.values(BENCH_MODES).find((m) => m.name === name)!;

describe("what a room's network adds, by the model", () => {
  it("polling, SSE and the socket: the answer's or the push's way back, RTT/2, to every delivery", () => {
    for (const mode of Object.values(BENCH_MODES).filter((m) => m.usesInterval || m.socket || m.name === "sse")) {
      expect(networkModel(mode, room)).toMatchObject({ meanMs: 20, p50Ms: 20 });
    }
  });

  it("long polling: RTT/2, plus the wait of messages that land while no poll is held (λ·RTT²/2(1+λ·RTT))", () => {
    const longpoll = byName("longpoll");
    // λ·RTT = 0.4 messages a gap: 0.01 · 1600 / 2.8 = 5.71 ms on average; the median message is answered at once.
    expect(networkModel(longpoll, room)!.meanMs).toBeCloseTo(20 + 5.714, 2);
    expect(networkModel(longpoll, room)!.p50Ms).toBe(20);
    // At 150 ms, 1.5 messages a gap: most wait, so no median is modelled.
    expect(networkModel(longpoll, { ...room, rttMs: 150 })).toMatchObject({ meanMs: 75 + 45, p50Ms: undefined });
    expect(networkModel(longpoll, { ...room, arrivals: "steady" })).toMatchObject({ meanMs: 20 }); // 100 ms apart > RTT
  });
});

describe("the room's table", () => {
  const summary = (mode: string, p50: number, mean: number) =>
    ({
      interval: 1000,
      rate: 10,
      arrivals: "poisson",
      publish: { connections: 1 },
      groups: [{ mode, latency: { p50, mean } }],
    }) as unknown as RunSummary;
  const pass = (rttMs: number, p50: number, mean: number, handshake: number): RoomPass => ({
    rttMs,
    summaries: [summary("socket", p50, mean)],
    handshakes: new Map([["socket", handshake]]),
  });

  it("puts each measurement beside loopback + the network's part, and marks a ratio outside ±10 %", () => {
    const [header, row] = roomRows(pass(40, 23, 30, 85), pass(0, 3, 4, 5), [byName("socket")]);
    expect(header).toContain("p50");
    // p50 23 vs 3 + 20; mean 30 vs 4 + 20 (1.25: flagged); handshake 85 vs 5 + 2 × 40.
    expect(row).toEqual([
      "socket",
      "40 ms",
      "RTT/2",
      "23",
      "23",
      "1.00",
      "30",
      "24",
      "1.25 !",
      "85",
      "85",
      "1.00",
      "1",
    ]);
  });
});
