import { describe, expect, it } from "vitest";
import { parseCli, plan } from "../../../bench/cli/bench.ts";
import { OUR_SOCKET_MODE, SOCKETIO_MODE } from "../../../bench/clients/socketio-mode.ts";

describe("--rivals", () => {
  it("twins each simulated WebSocket run with Socket.IO and Deno right after ours (after the floor's with --floor)", () => {
    expect(parseCli([]).rivals).toBe(false);
    const options = parseCli(["--rivals", "--floor", "--modes", `polling,${OUR_SOCKET_MODE.name}`, "--browser", "2"]);
    const runs = plan(options);
    const ours = OUR_SOCKET_MODE.name;
    expect(runs.map((r) => `${r.groups[0]!.mode.name}:${r.groups[0]!.where ?? "node"}:${r.server ?? "app"}`)).toEqual([
      "polling:node:app",
      "polling:node:floor",
      `${ours}:node:app`,
      `${ours}:node:floor`,
      "socket.io:node:socketio",
      `${ours}:node:deno`,
      "polling:browser:app",
      `${ours}:browser:app`,
    ]);
    // The same run, only on the rival's server with the rival's client.
    const app = runs[2]!;
    const rival = runs[4]!;
    expect(rival.groups[0]!.mode).toBe(SOCKETIO_MODE);
    expect({ ...rival, server: undefined, groups: undefined }).toEqual({
      ...app,
      server: undefined,
      groups: undefined,
    });
    expect(rival.groups[0]!.clients).toBe(app.groups[0]!.clients);
    // Deno runs our own app: our own clients, only the runtime changes.
    expect(runs[5]!.groups).toEqual(app.groups);
  });
});
