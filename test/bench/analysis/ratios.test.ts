import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../../bench/analysis/aggregate.ts";
import { formatTable, wrap } from "../../../bench/output/print.ts";
import { ratioLines, ratioRows, ratioSpread, ratioTable, spreadLines } from "../../../bench/analysis/ratios.ts";
import { createReport } from "../../../bench/output/json.ts";
import { toMarkdown } from "../../../bench/output/markdown.ts";
import { OUR_SOCKET_MODE, SOCKETIO_MODE } from "../../../bench/clients/socketio-mode.ts";
import type { ServerKind } from "../../../bench/core/records.ts";

interface Figures {
  p50: number;
  p99: number;
  bcast: number;
  cpu: number;
  bytes: number;
  handoff: number;
}

/** The figures ratios.ts reads from a run, set by hand. */
function run(server: ServerKind, mode: string, clients: number, f: Figures) {
  return {
    label: mode,
    server,
    instances: 1,
    clients,
    interval: 1000,
    groups: [{ mode, where: "node", clients, latency: { p50: f.p50, p99: f.p99 } }],
    broadcast: { sockets: clients, p50Ms: f.bcast, cpuP50Ms: f.bcast / 2 },
    perMessage: { serverCpuMicros: f.cpu, bytes: f.bytes, requests: 0 },
    handoff: { p50: f.handoff, p99: f.handoff * 2 },
    // Not read by ratios.ts; the report also fits these against clients (slopes.ts).
    publish: { ms: 1000, bytesIn: 0, bytesOut: 0, requests: 0, serverCpuMs: 0 },
    idleBytesPerSecond: 0,
    idleCpuMsPerSecond: 0,
    serverPeakRssBytes: 0,
  } as unknown as RunSummary;
}

const ours = run("app", OUR_SOCKET_MODE.name, 1000, { p50: 2.2, p99: 5, bcast: 4.4, cpu: 30, bytes: 100, handoff: 1 });
const floor = run("floor", OUR_SOCKET_MODE.name, 1000, { p50: 2, p99: 4, bcast: 4, cpu: 20, bytes: 100, handoff: 0.5 });
const socketio = run("socketio", SOCKETIO_MODE.name, 1000, {
  p50: 4,
  p99: 10,
  bcast: 8,
  cpu: 60,
  bytes: 90,
  handoff: 0.6,
});
const verdicts = (cells: { figure: string; ratio: number; met?: boolean }[]) =>
  cells.map((c) => [c.figure, Number(c.ratio.toFixed(3)), c.met]);

describe("ratios: ours / theirs in one run", () => {
  it("pairs our WebSocket run with the floor's and Socket.IO's twins, and judges each target by hand-computed ratios", () => {
    const [vsFloor, vsSocketio] = ratioRows([ours, floor, socketio]);
    // 2.2 / 2 = 1.10 (met: exactly at the target), 5 / 4 = 1.25 (met), 4.4 / 4 = 1.10 (met), 30 / 20 = 1.5 (no target).
    expect(verdicts(vsFloor!.cells)).toEqual([
      ["p50", 1.1, true],
      ["p99", 1.25, true],
      ["broadcast", 1.1, true],
      ["cpu", 1.5, undefined],
      ["bytes", 1, undefined],
    ]);
    // 2.2 / 4 = 0.55, 5 / 10 = 0.5, 30 / 60 = 0.5: met (≤ 0.8); 100 / 90 = 1.11: missed.
    expect(verdicts(vsSocketio!.cells)).toEqual([
      ["p50", 0.55, true],
      ["p99", 0.5, true],
      ["broadcast", 0.55, undefined],
      ["cpu", 0.5, true],
      ["bytes", 1.111, false],
    ]);
    expect(vsSocketio!.misses).toEqual([
      expect.stringMatching(/^B\/msg 1\.11× Socket\.IO \(target ≤ 0\.8×\): the frame is ours/),
    ]);
    expect(ratioTable([vsFloor!, vsSocketio!])[2]).toEqual([
      `${OUR_SOCKET_MODE.name} ×1000 / Socket.IO`,
      "0.55 ok",
      "0.50 ok",
      "0.55",
      "0.50 ok",
      "1.11 MISS",
    ]);
  });

  it("a missed latency target names the parts of the path, ours against theirs; below 100 clients it is only indicative", () => {
    const small = (s: RunSummary, p50: number) =>
      ({ ...s, clients: 10, groups: [{ ...s.groups[0]!, latency: { p50, p99: 1 } }] }) as RunSummary;
    const [vsFloor] = ratioRows([small(ours, 6), small(floor, 5)]);
    expect(vsFloor!.cells[0]).toMatchObject({ ratio: 1.2, met: false, judged: false });
    // POST → hand-off 1 vs 0.5 ms; broadcast 4.4 vs 4 ms; the rest 6 − 1 − 4.4 = 0.6 vs 5 − 0.5 − 4 = 0.5 ms.
    expect(vsFloor!.misses[0]).toBe(
      "p50 1.20× floor (target ≤ 1.1×; indicative at this size): POST sent → server hands it on p50 1.00 vs 0.50 ms " +
        "(ours: Hono, routes, validation, the store); broadcast loop p50 4.40 vs 4.00 ms (ours: the hub's loop over its " +
        "sockets); the rest of p50 0.60 vs 0.50 ms (the wire and the same client module on both)",
    );
  });

  it("is in the terminal (within 100 columns), the Markdown and the JSON report; nothing without twins", () => {
    // What printSummaries writes under the notes, wrapped as it wraps them.
    const lines = ratioLines(ratioRows([ours, floor, socketio]), formatTable).flatMap((line) => wrap(line, 100));
    expect(lines[0]).toBe("Ours / theirs, measured side by side in this run:");
    expect(lines.find((line) => line.startsWith(`${OUR_SOCKET_MODE.name} ×1000 / floor`))?.split(/\s{2,}/)).toEqual([
      `${OUR_SOCKET_MODE.name} ×1000 / floor`,
      "1.10 ok",
      "1.25 ok",
      "1.10 ok",
      "1.50",
      "1.00",
    ]);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(100);
    const report = createReport({}, [ours, floor, socketio]);
    expect(report.ratios).toHaveLength(2);
    expect(toMarkdown({ ...report, summaries: [] })).toContain(
      `| ${OUR_SOCKET_MODE.name} ×1000 / floor | 1.10 ok | 1.25 ok | 1.10 ok | 1.50 | 1.00 |`,
    );
    expect(ratioRows([ours, { ...floor, server: "app" } as RunSummary])).toEqual([]);
  });

  it("polling is set against the floor only, judged on its CPU per message (no broadcast figure)", () => {
    const polling = run("app", "polling", 100, { p50: 500, p99: 990, bcast: 0.01, cpu: 60, bytes: 300, handoff: 1 });
    const plain = run("floor", "polling", 100, { p50: 500, p99: 990, bcast: 0.01, cpu: 50, bytes: 280, handoff: 1 });
    const [row, ...rest] = ratioRows([polling, plain, socketio]);
    expect(rest).toEqual([]);
    expect(row!.against).toBe("floor");
    // 60 / 50 = 1.2 > 1.1: missed, and the miss names the poll's handling.
    expect(verdicts(row!.cells)).toEqual([
      ["p50", 1, undefined],
      ["p99", 1, undefined],
      ["broadcast", NaN, undefined],
      ["cpu", 1.2, false],
      ["bytes", 1.071, undefined],
    ]);
    expect(row!.misses[0]).toMatch(/every poll's handling is ours/);
  });
});

describe("ratioSpread: the same pairings over interleaved runs (--runs)", () => {
  const pass = (p50: number) => [
    { ...ours, groups: [{ ...ours.groups[0]!, latency: { p50, p99: 5 } }] },
    floor,
    socketio,
  ];
  // Three passes: p50 vs floor 2.0 / 2 = 1.0, 2.4 / 2 = 1.2, 2.1 / 2 = 1.05: median 1.05, two of three met (≤ 1.1).
  const rows = ratioRows([...pass(2.0), ...pass(2.4), ...pass(2.1)] as RunSummary[]);

  it("gives each ratio's median, least and greatest, and the runs that met its target", () => {
    const spread = ratioSpread(rows);
    expect(spread.map((row) => row.against)).toEqual(["floor", "socketio"]);
    const p50 = spread[0]!.cells.find((cell) => cell.figure === "p50")!;
    expect(p50).toMatchObject({ runs: 3, min: 1, max: 1.2, target: 1.1, met: 2, judged: true });
    expect(p50.median).toBeCloseTo(1.05, 9);
    // CPU vs the floor has no target: a spread, no count.
    expect(spread[0]!.cells.find((cell) => cell.figure === "cpu")).not.toHaveProperty("met");
  });

  it("prints a row per pairing, ok when a majority met the target; nothing for a single run", () => {
    const lines = spreadLines(ratioSpread(rows), formatTable);
    expect(lines[0]).toBe("Ours / theirs over 3 interleaved runs (--runs):");
    expect(lines.find((line) => line.includes("/ floor"))).toContain("1.05 (1.00–1.20) 2/3 ok");
    expect(ratioSpread(ratioRows([ours, floor, socketio]))).toEqual([]);
    expect(toMarkdown({ ...createReport({}, [...pass(2.0), ...pass(2.4)] as RunSummary[]), summaries: [] })).toContain(
      "## Ours / theirs over 2 interleaved runs (--runs):",
    );
  });
});
