import { describe, expect, it } from "vitest";
import { BENCH_MODES, findModes } from "../../../bench/clients/modes.ts";
import { TRANSPORT_IDS, TRANSPORTS, type BenchId } from "../../../shared/transports.ts";

describe("BENCH_MODES", () => {
  it("are the registry's measured transports, by its ids, with its pages", () => {
    expect(Object.keys(BENCH_MODES)).toEqual(TRANSPORT_IDS.filter((id) => TRANSPORTS[id].bench));
    expect(Object.keys(BENCH_MODES)).toEqual(["polling", "socket", "conditional", "longpoll", "sse"]);
    for (const mode of Object.values(BENCH_MODES))
      expect(mode.page(250).startsWith(TRANSPORTS[mode.name as BenchId].page)).toBe(true);
    expect(BENCH_MODES.polling.page(250)).toBe("/polling?interval=250");
    expect(BENCH_MODES.socket.page(250)).toBe("/socket");
  });
});

describe("the model", () => {
  it("predicts polling: latency T/2 + RTT, requests clients × window / T, idle bytes requests × exchange size", () => {
    const prediction = BENCH_MODES.polling.predict!({
      clients: 10,
      interval: 1000,
      windowMs: 5000,
      rttMs: 1.5,
      emptyExchangeBytes: 400,
    });
    expect(prediction).toEqual({ latencyMeanMs: 501.5, requests: 50, idleBytes: 20_000 });
  });

  it("predicts no requests and no idle bytes for open WebSockets", () => {
    expect(
      BENCH_MODES.socket.predict!({ clients: 100, interval: 1000, windowMs: 5000, rttMs: 1, emptyExchangeBytes: 400 }),
    ).toEqual({
      requests: 0,
      idleBytes: 0,
    });
  });
});

describe("findModes", () => {
  it("finds modes by name and names the known ones when one is unknown", () => {
    expect(findModes(["socket", "polling"]).map((m) => m.name)).toEqual(["socket", "polling"]);
    expect(() => findModes(["carrier-pigeon"])).toThrow(/known: .*polling.*socket/);
  });
});
