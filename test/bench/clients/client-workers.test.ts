import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerGroup, workersFor } from "../../../bench/clients/client-workers.ts";
import { OUR_SOCKET_MODE } from "../../../bench/clients/socketio-mode.ts";
import { ServerProcess } from "../../../bench/servers/server-process.ts";
import { PATHS } from "../../../shared/protocol.ts";

describe("clients in worker processes (bench --sweep's 10,000)", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("up to 1000 clients stay in the bench's process; 10,000 go to 2 workers", () => {
    expect([workersFor(1000), workersFor(1001), workersFor(10_000)]).toEqual([0, 1, 2]);
  });

  it("5 sockets over 2 workers answer as one group: counts, every receipt, delivered, CPU", async () => {
    const nonce = "workers-test";
    const group = startWorkerGroup(
      { mode: OUR_SOCKET_MODE, clients: 5, baseUrl: server.url, interval: 1000, nonce, spreadMs: 10 },
      2,
    );
    try {
      await group.ready;
      expect(await group.delivered(1)).toBe(false);
      for (let seq = 0; seq < 3; seq++) {
        const body = JSON.stringify({ user: "bench", text: `${nonce} #${seq}` });
        expect(
          (
            await fetch(`${server.url}${PATHS.messages}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
            })
          ).status,
        ).toBe(201);
      }
      await expect.poll(() => group.delivered(3), { timeout: 5000 }).toBe(true);
      const receipts = await group.receipts();
      expect(receipts.map((mine) => mine.map((r) => r.seq))).toEqual(Array.from({ length: 5 }, () => [0, 1, 2]));
      expect(await group.counts()).toEqual({ requests: 0, sockets: 5, errors: 0 });
      expect(await group.cpuMicros()).toBeGreaterThan(0);
    } finally {
      await group.stop();
    }
  });
});
