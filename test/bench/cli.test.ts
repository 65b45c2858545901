import { describe, expect, it } from "vitest";
import { floorSkipped, HELP, parseCli, plan } from "../../bench/cli.ts";
import { SWEEP_CLIENTS, SWEEP_INTERVALS } from "../../bench/sweep.ts";

describe("bench CLI options", () => {
  it("has the documented defaults", () => {
    const options = parseCli([]);
    expect(options).toMatchObject({ clients: 100, duration: 10, interval: 1000, rate: 10, arrivals: "poisson", browserTabs: 0, out: "bench/results" });
    expect(options.modes.map((m) => m.name)).toEqual(expect.arrayContaining(["polling", "websocket"]));
  });

  it("--quick: 10 clients for 4 s, the lesson's two modes unless --modes says otherwise", () => {
    expect(parseCli(["--quick"])).toMatchObject({ quick: true, clients: 10, duration: 4 });
    expect(parseCli(["--quick"]).modes.map((m) => m.name)).toEqual(["polling", "websocket"]);
    expect(parseCli(["--quick", "--modes", "websocket"]).modes.map((m) => m.name)).toEqual(["websocket"]);
  });

  it("--browser takes an optional tab count", () => {
    expect(parseCli(["--browser"]).browserTabs).toBe(3);
    expect(parseCli(["--browser", "5"]).browserTabs).toBe(5);
    expect(parseCli(["--browser", "--quick"])).toMatchObject({ browserTabs: 3, quick: true });
  });

  it("--machine probes the machine first; the runs still follow", () => {
    expect(parseCli([]).machine).toBe(false);
    const options = parseCli(["--machine", "--modes", "websocket"]);
    expect(options.machine).toBe(true);
    expect(plan(options).map((r) => r.groups[0]!.mode.name)).toEqual(["websocket"]);
  });

  it("--wide: every column in the terminal's table too (off by default), and --help says so", () => {
    expect(parseCli([]).wide).toBe(false);
    expect(parseCli(["--quick", "--wide"])).toMatchObject({ quick: true, wide: true });
    expect(HELP).toMatch(/^ {2}--wide {2,}every column/m);
  });

  it("refuses what it cannot run, saying why", () => {
    expect(() => parseCli(["--clients", "0"])).toThrow(/--clients must be a positive number/);
    expect(() => parseCli(["--arrivals", "bursty"])).toThrow(/poisson or steady/);
    expect(() => parseCli(["--modes", "smoke-signals"])).toThrow(/unknown mode/);
    expect(() => parseCli(["--floor", "--instances", "2"])).toThrow(/--floor .* --instances/);
  });
});

describe("the runs planned", () => {
  it("one run per mode, plus browser runs with --browser", () => {
    const runs = plan(parseCli(["--modes", "polling,websocket", "--browser", "2"]));
    expect(runs.map((r) => r.groups.map((g) => `${g.mode.name}:${g.clients}:${g.where ?? "node"}`))).toEqual([
      ["polling:100:node"],
      ["websocket:100:node"],
      ["polling:2:browser"],
      ["websocket:2:browser"],
    ]);
  });

  it("--floor: each run the floor server can serve, again on it right after; one line names the runs it cannot", () => {
    expect(parseCli([]).floor).toBe(false);
    const options = parseCli(["--floor", "--modes", "polling,sse,websocket", "--browser", "2"]);
    expect(options.floor).toBe(true);
    expect(plan(options).map((r) => `${r.groups[0]!.mode.name}:${r.groups[0]!.where ?? "node"}:${r.server ?? "app"}`)).toEqual([
      "polling:node:app",
      "polling:node:floor",
      "sse:node:app",
      "websocket:node:app",
      "websocket:node:floor",
      "polling:browser:app",
      "sse:browser:app",
      "websocket:browser:app",
    ]);
    // The floor runs are the very same runs, only on the other server.
    const [app, floor] = plan(options);
    expect({ ...floor, server: undefined }).toEqual({ ...app, server: undefined });
    expect(floorSkipped(options)).toBe(
      "--floor: no floor run for sse, polling (browser), sse (browser), websocket (browser): the floor server speaks only polling and websocket, to simulated clients",
    );
    expect(floorSkipped(parseCli(["--floor", "--modes", "polling,websocket"]))).toBeUndefined();
    expect(floorSkipped(parseCli(["--modes", "sse"]))).toBeUndefined();
  });

  it("--sweep: pollers at every interval and client count, sockets once per client count, then both together", () => {
    const runs = plan(parseCli(["--sweep"]));
    // + one run of 10,000 per mode: pollers at the slowest interval.
    expect(runs).toHaveLength(SWEEP_CLIENTS.length * SWEEP_INTERVALS.length + SWEEP_CLIENTS.length + 2 + 1);
    expect(runs.filter((r) => r.groups[0]!.clients === 10_000).map((r) => [r.groups[0]!.mode.name, r.interval])).toEqual([
      ["polling", 5000],
      ["websocket", 1000],
    ]);
    expect(runs.at(-1)!.groups.map((g) => [g.mode.name, g.clients])).toEqual([
      ["polling", 1000],
      ["websocket", 1000],
    ]);
  });
});
