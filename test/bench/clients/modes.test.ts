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

describe("findModes", () => {
  it("finds modes by name and names the known ones when one is unknown", () => {
    expect(findModes(["socket", "polling"]).map((m) => m.name)).toEqual(["socket", "polling"]);
    expect(() => findModes(["carrier-pigeon"])).toThrow(/known: .*polling.*socket/);
  });
});
