import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { summarize, type RunSummary } from "../../../bench/analysis/aggregate.ts";
import { parseCli, plan } from "../../../bench/cli/bench.ts";
import { ratioRows } from "../../../bench/analysis/ratios.ts";
import { denoBinary } from "../../../bench/servers/deno-binary.ts";
import { OUR_SOCKET_MODE } from "../../../bench/clients/socketio-mode.ts";
import { run } from "../../../bench/scenarios/run.ts";

const denoRuns = spawnSync(denoBinary(), ["--version"]).status === 0;

// `--rivals` end to end, small: our run, Socket.IO's twin, then our same app under Deno with our own clients.
describe.skipIf(!denoRuns)("the Deno rival (bench --rivals; skipped when node_modules/deno/deno cannot run)", () => {
  it("runs our app on Deno with our clients: every message once, its own CPU counted, no byte counted", async () => {
    const options = parseCli(["--rivals", "--modes", OUR_SOCKET_MODE.name, "--clients", "3", "--duration", "1"]);
    const runs = plan(options).map((planned) => ({ ...planned, rate: 6, arrivals: "steady" as const, idle: 500 }));
    expect(runs.map((r) => r.server ?? "app")).toEqual(["app", "socketio", "deno"]);
    const summaries: RunSummary[] = [];
    for (const planned of runs) summaries.push(summarize(await run(planned)));
    const deno = summaries[2]!;
    expect(deno).toMatchObject({
      server: "deno",
      label: `${OUR_SOCKET_MODE.name} (deno)`,
      failed: false,
      problems: [],
    });
    expect(deno.groups[0]).toMatchObject({ expected: 18, delivered: 18, lost: 0, duplicated: 0, clientSockets: 3 });
    // Counted by the app under Deno: the upgrades (read from its 101s), and the hub's broadcast to the 3 sockets.
    expect(deno.totals.serverUpgrades).toBe(3);
    expect(deno.broadcast).toMatchObject({ sockets: 3, count: 6 });
    // The Deno process's own CPU and memory (Deno's node:process), not this process's.
    expect(deno.publish.serverCpuMs).toBeGreaterThan(0);
    expect(deno.serverPeakRssBytes).toBeGreaterThan(10e6);
    // Deno.serve shows no TCP socket: bytes are not measured, never 0.
    expect(deno.perMessage.bytes).toBeNaN();
    expect(deno.idleBytesPerSecond).toBeNaN();

    const vsDeno = ratioRows(summaries).find((row) => row.against === "deno")!;
    expect(vsDeno).toMatchObject({ clients: 3, theirs: `${OUR_SOCKET_MODE.name} (deno)` });
    const cell = (figure: string) => vsDeno.cells.find((c) => c.figure === figure)!;
    expect(cell("p50").ratio).toBeCloseTo(summaries[0]!.groups[0]!.latency.p50 / deno.groups[0]!.latency.p50, 9);
    expect(cell("cpu").ratio).toBeCloseTo(
      summaries[0]!.perMessage.serverCpuMicros / deno.perMessage.serverCpuMicros,
      9,
    );
    expect(cell("bytes").ratio).toBeNaN();
  }, 240_000);
});
