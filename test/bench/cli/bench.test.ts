import { describe, expect, it } from "vitest";
import { floorSkipped, HELP, parseCli, plan } from "../../../bench/cli/bench.ts";
import { SWEEP_CLIENTS, SWEEP_INTERVALS } from "../../../bench/scenarios/sweep.ts";

describe("bench CLI options", () => {
  it("has the documented defaults", () => {
    const options = parseCli([]);
    expect(options).toMatchObject({
      clients: 100,
      duration: 10,
      interval: 1000,
      rate: 10,
      arrivals: "poisson",
      browserTabs: 0,
      out: "bench/results",
    });
    expect(options.modes.map((m) => m.name)).toEqual(expect.arrayContaining(["polling", "socket"]));
  });

  it("--quick: 10 clients for 4 s, the lesson's two modes unless --modes says otherwise", () => {
    expect(parseCli(["--quick"])).toMatchObject({ quick: true, clients: 10, duration: 4 });
    expect(parseCli(["--quick"]).modes.map((m) => m.name)).toEqual(["polling", "socket"]);
    expect(parseCli(["--quick", "--modes", "socket"]).modes.map((m) => m.name)).toEqual(["socket"]);
  });

  it("--browser takes an optional tab count", () => {
    expect(parseCli(["--browser"]).browserTabs).toBe(3);
    expect(parseCli(["--browser", "5"]).browserTabs).toBe(5);
    expect(parseCli(["--browser", "--quick"])).toMatchObject({ browserTabs: 3, quick: true });
  });

  it("--machine probes the machine first; the runs still follow", () => {
    expect(parseCli([]).machine).toBe(false);
    const options = parseCli(["--machine", "--modes", "socket"]);
    expect(options.machine).toBe(true);
    expect(plan(options).map((r) => r.groups[0]!.mode.name)).toEqual(["socket"]);
  });

  it("--wide: every column in the terminal's table too (off by default), and --help says so", () => {
    expect(parseCli([]).wide).toBe(false);
    expect(parseCli(["--quick", "--wide"])).toMatchObject({ quick: true, wide: true });
    expect(HELP).toMatch(/^ {2}--wide {2,}every column/m);
  });

  it("--rtt: a list of round trips; every mode unless --modes, even with --quick (whose durations it keeps)", () => {
    expect(parseCli([]).rtt).toEqual([]);
    const options = parseCli(["--quick", "--rtt", "40,150"]);
    expect(options).toMatchObject({ rtt: [40, 150], clients: 10, duration: 4 });
    expect(options.modes.map((m) => m.name)).toEqual(["polling", "socket", "conditional", "longpoll", "sse"]);
    expect(() => parseCli(["--rtt", "40,fast"])).toThrow(/--rtt must be a positive number/);
  });

  it("--storm: sockets from --clients, SSE streams, the down time, the rate", () => {
    expect(parseCli([]).storm).toBeUndefined();
    expect(parseCli(["--storm"]).storm).toEqual({ sockets: 1000, streams: 200, rate: 10, downMs: 3000 });
    expect(parseCli(["--storm", "--clients", "500", "--streams", "0", "--down", "1500"]).storm).toEqual({
      sockets: 500,
      streams: 0,
      rate: 10,
      downMs: 1500,
    });
  });

  it("refuses what it cannot run, saying why", () => {
    expect(() => parseCli(["--clients", "0"])).toThrow(/--clients must be a positive number/);
    expect(() => parseCli(["--arrivals", "bursty"])).toThrow(/poisson or steady/);
    expect(() => parseCli(["--modes", "smoke-signals"])).toThrow(/unknown mode/);
    expect(() => parseCli(["--floor", "--instances", "2"])).toThrow(/--floor .* --instances/);
  });
});

describe("the runs planned", () => {
  it("--http2: each HTTP mode over TLS as h1 then h2, the socket once over wss (its page h2), browser tabs the same", () => {
    const runs = plan(parseCli(["--http2", "--quick", "--browser", "1"]));
    expect(runs.map((r) => `${r.groups[0]!.mode.name}:${r.groups[0]!.where ?? "node"}:${r.tls}`)).toEqual([
      "polling:node:h1",
      "polling:node:h2",
      "socket:node:h2",
      "polling:browser:h1",
      "polling:browser:h2",
      "socket:browser:h2",
    ]);
    expect(() => parseCli(["--http2", "--floor"])).toThrow(/--http2 .* --floor/);
    expect(HELP).toMatch(/^ {2}--http2 {2,}each HTTP mode over TLS/m);
  });

  it("one run per mode, plus browser runs with --browser", () => {
    const runs = plan(parseCli(["--modes", "polling,socket", "--browser", "2"]));
    expect(runs.map((r) => r.groups.map((g) => `${g.mode.name}:${g.clients}:${g.where ?? "node"}`))).toEqual([
      ["polling:100:node"],
      ["socket:100:node"],
      ["polling:2:browser"],
      ["socket:2:browser"],
    ]);
  });

  it("--floor: each run the floor server can serve, again on it right after; one line names the runs it cannot", () => {
    expect(parseCli([]).floor).toBe(false);
    const options = parseCli(["--floor", "--modes", "polling,sse,socket", "--browser", "2"]);
    expect(options.floor).toBe(true);
    expect(
      plan(options).map((r) => `${r.groups[0]!.mode.name}:${r.groups[0]!.where ?? "node"}:${r.server ?? "app"}`),
    ).toEqual([
      "polling:node:app",
      "polling:node:floor",
      "sse:node:app",
      "socket:node:app",
      "socket:node:floor",
      "polling:browser:app",
      "sse:browser:app",
      "socket:browser:app",
    ]);
    // The floor runs are the very same runs, only on the other server.
    const [app, floor] = plan(options);
    expect({ ...floor, server: undefined }).toEqual({ ...app, server: undefined });
    expect(floorSkipped(options)).toBe(
      "--floor: no floor run for sse, polling (browser), sse (browser), socket (browser): the floor server speaks only polling and socket, to simulated clients",
    );
    expect(floorSkipped(parseCli(["--floor", "--modes", "polling,socket"]))).toBeUndefined();
    expect(floorSkipped(parseCli(["--modes", "sse"]))).toBeUndefined();
  });

  it("--runs N: the whole pass (ours, then each twin) N times over, interleaved, not each run N times in a row", () => {
    expect(parseCli([]).runs).toBe(1);
    expect(() => parseCli(["--runs", "0"])).toThrow(/--runs/);
    const runs = plan(parseCli(["--runs", "2", "--clients", "20", "--modes", "polling,socket", "--floor", "--rivals"]));
    const pass = ["polling:app", "polling:floor", "socket:app", "socket:floor", "socket.io:socketio", "socket:deno"];
    expect(runs.map((r) => `${r.groups[0]!.mode.name}:${r.server ?? "app"}`)).toEqual([...pass, ...pass]);
    expect(runs.every((r) => r.groups[0]!.clients === 20)).toBe(true);
  });

  it("--sweep: pollers at every interval and client count, sockets once per client count, then both together", () => {
    const runs = plan(parseCli(["--sweep"]));
    // + one run of 10,000 per mode: pollers at the slowest interval.
    expect(runs).toHaveLength(SWEEP_CLIENTS.length * SWEEP_INTERVALS.length + SWEEP_CLIENTS.length + 2 + 1);
    expect(
      runs.filter((r) => r.groups[0]!.clients === 10_000).map((r) => [r.groups[0]!.mode.name, r.interval]),
    ).toEqual([
      ["polling", 5000],
      ["socket", 1000],
    ]);
    expect(runs.at(-1)!.groups.map((g) => [g.mode.name, g.clients])).toEqual([
      ["polling", 1000],
      ["socket", 1000],
    ]);
  });
});
