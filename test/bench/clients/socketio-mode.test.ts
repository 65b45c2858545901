import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { SOCKETIO_MODE } from "../../../bench/clients/socketio-mode.ts";
import { run } from "../../../bench/scenarios/run.ts";

// Socket.IO end to end, small: its server in its own process, socket.io-client on the bench's counted `ws`, the
// same publisher and accounting as our runs.
describe("the Socket.IO rival (bench --rivals)", () => {
  it("delivers each message once to each client, counts its sockets at both ends, and nothing crosses while idle", async () => {
    const summary = summarize(
      await run({
        server: "socketio",
        groups: [{ mode: SOCKETIO_MODE, clients: 3 }],
        interval: 200,
        duration: 1500,
        rate: 4,
        arrivals: "steady",
        idle: 500,
      }),
    );
    expect(summary).toMatchObject({ server: "socketio", label: "socket.io", failed: false });
    expect(summary.groups[0]).toMatchObject({
      expected: 18,
      delivered: 18,
      lost: 0,
      duplicated: 0,
      clientSockets: 3,
      reconnects: 0,
    });
    expect(summary.totals.serverUpgrades).toBe(3);
    expect(summary.publish.requests).toBe(0);
    expect(summary.idle.bytesIn + summary.idle.bytesOut).toBe(0);
    // Timed inside the Socket.IO server: each of the 6 messages emitted to the 3 sockets.
    expect(summary.broadcast).toMatchObject({ sockets: 3, count: 6 });
    // Each delivery is a frame of Socket.IO's packet `42["message",{…}]`: more than the message's JSON alone.
    expect(summary.perMessage.bytes).toBeGreaterThan(60);
  });
});
