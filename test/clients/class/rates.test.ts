import { describe, expect, it } from "vitest";
import type { ClassNumbers, TransportTotals } from "../../../shared/class-protocol.ts";
import { TRANSPORT_IDS, type TransportId } from "../../../shared/transports.ts";
import { ratesBetween } from "../../../clients/class/rates.ts";

const zero: TransportTotals = { clients: 0, requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 };
const reading = (
  at: number,
  cpuMicros: number | null,
  polling: Partial<TransportTotals>,
  chatNumber = 0,
): ClassNumbers => ({
  at,
  cpuMicros,
  transports: Object.fromEntries(
    TRANSPORT_IDS.map((id) => [id, id === "polling" ? { ...zero, ...polling } : zero]),
  ) as Record<TransportId, TransportTotals>,
  bot: { rate: 0 },
  locked: false,
  chatNumber,
  joinUrl: null,
  boot: "b00t",
});

describe("ratesBetween", () => {
  it("turns two readings into per-second rates and CPU % of one core", () => {
    const rates = ratesBetween(
      reading(10_000, 1_000_000, { requests: 4, bytesOut: 800 }),
      reading(12_000, 1_500_000, { requests: 8, bytesOut: 2400 }),
    );
    expect(rates?.at).toBe(12);
    expect(rates?.transports.polling).toEqual({ requests: 2, emptyAnswers: 0, bytesIn: 0, bytesOut: 800 });
    expect(rates?.cpuPercent).toBeCloseTo(25); // 0.5 s of CPU in 2 s
  });

  it("gives nothing across a new chat or without time passing; no CPU where the runtime says none", () => {
    expect(ratesBetween(reading(1000, 0, {}), reading(2000, 0, {}, 1))).toBeUndefined();
    expect(ratesBetween(reading(1000, 0, {}), reading(1000, 0, {}))).toBeUndefined();
    expect(ratesBetween(reading(1000, null, {}), reading(2000, null, {}))?.cpuPercent).toBeNull();
  });

  it("gives nothing across a server restart, where every count (and the CPU time) starts again", () => {
    const before = reading(1000, 5_000_000, { requests: 40 });
    expect(ratesBetween(before, { ...reading(3000, 100_000, { requests: 2 }), boot: "n3w" })).toBeUndefined();
  });
});
