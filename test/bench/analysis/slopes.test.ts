import { describe, expect, it } from "vitest";
import { leastSquares, slopeLines, sweepSlopes } from "../../../bench/analysis/slopes.ts";
import { sweepRun } from "../../support/sweep-runs.ts";

describe("leastSquares", () => {
  it("fits a line through points, with R² by hand", () => {
    // (1, 2), (2, 4), (3, 5): mean x 2, mean y 11/3; Sxx 2, Sxy 3, Syy 42/9 → slope 1.5, intercept 2/3, R² 81/84.
    const fit = leastSquares([
      [1, 2],
      [2, 4],
      [3, 5],
    ])!;
    expect(fit.slope).toBeCloseTo(1.5, 12);
    expect(fit.intercept).toBeCloseTo(2 / 3, 12);
    expect(fit.r2).toBeCloseTo(81 / 84, 12);
    expect(leastSquares([[5, 1]])).toBeUndefined();
    expect(
      leastSquares([
        [1, 0],
        [10, 0],
      ]),
    ).toMatchObject({ slope: 0, intercept: 0, r2: 1 });
  });
});

describe("sweepSlopes", () => {
  const runs = [1, 10, 100, 1000].flatMap((n) => [
    sweepRun("polling", n, 1000, { idle: 390, cpu: 0.04, rss: 4096 }),
    sweepRun("socket", n, 1000, { idle: 0, cpu: 0.02, rss: 8192, broadcastMs: 0.002 }),
  ]);

  it("one line per mode (and interval for pollers): each cost per added client, the broadcast per added socket", () => {
    const [polling, socket] = sweepSlopes(runs);
    expect(polling).toMatchObject({ series: "polling T=1000 ms", clients: [1, 10, 100, 1000] });
    expect(polling!.fits.idleBytes).toMatchObject({ r2: 1 });
    expect(polling!.fits.idleBytes!.slope).toBeCloseTo(390, 9);
    expect(polling!.fits.bytes!.slope).toBeCloseTo(780, 9);
    expect(polling!.fits.requests!.slope).toBeCloseTo(1, 9);
    expect(polling!.fits.cpu!.slope).toBeCloseTo(0.04, 9);
    expect(polling!.fits.rss!.slope).toBeCloseTo(4096, 6);
    expect(polling!.fits.broadcast).toBeUndefined();
    expect(socket!.series).toBe("socket");
    expect(socket!.fits.idleBytes).toMatchObject({ slope: 0, r2: 1 });
    // 2 µs a socket, 50 µs to start the loop.
    expect(socket!.fits.broadcast!.slope).toBeCloseTo(2, 9);
    expect(socket!.fits.broadcast!.intercept).toBeCloseTo(50, 6);
    expect(slopeLines([socket!])[0]).toContain("broadcast +2.00 µs a socket (R² 1.00)");
    expect(slopeLines([polling!])[0]).toContain("server RSS +4.00 kB a client (R² 1.00)");
  });
});
