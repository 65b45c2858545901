import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { startPolling } from "../../../clients/transports/polling.ts";
import { connect } from "../../../clients/transports/socket.ts";
import { POST_RATE_PER_SECOND } from "../../../server/limits/input-limits.ts";
import { EPOCH_HEADER, type Message } from "../../../shared/protocol.ts";
import { expectEachOnce, fiveClients } from "../../support/chat-clients.ts";
import { killMain, startMain, type MainProcess } from "../../support/main-process.ts";
import { postMessage, uniqueText } from "../../support/server.ts";
import { requestFrom } from "../../support/student.ts";
import { waitFor } from "../../support/wait.ts";

const PUBLISHED = 60; // bounded: the publisher stops after this many attempts
const KILL_AFTER = 20;

let main: MainProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), "chat-restart-"));
afterAll(async () => {
  await killMain(main);
  rmSync(dir, { recursive: true, force: true });
});

/** Every message a client module handed on, in arrival order. */
function collector() {
  const received: Message[] = [];
  return { received, add: (messages: Message[]) => received.push(...messages) };
}

describe("SIGKILL and restart while messages flow", () => {
  it("every client ends with every message the server acknowledged (201), exactly once; ids continue", async () => {
    main = await startMain(["--port", "0", "--data", dir]);
    const { port, url } = main;

    const poller = collector();
    const stopPolling = startPolling({ baseUrl: url, interval: 50, onMessages: poller.add });
    const socket = collector();
    const socketClient = connect({
      baseUrl: url.replace(/^http/, "ws"),
      WebSocket: WsWebSocket as unknown as typeof WebSocket,
      onMessage: (message) => socket.add([message]),
    });

    const acknowledged: Message[] = [];
    let restarted: Promise<MainProcess> | undefined;
    for (let i = 0; i < PUBLISHED; i++) {
      if (i === KILL_AFTER) {
        main.child.kill("SIGKILL"); // no graceful anything: the log must already hold every acknowledged message
        await main.exited;
        // Same port, so the clients' URLs stay valid; posts fail until it is back, and are simply not acknowledged.
        restarted = startMain(["--port", String(port), "--data", dir]);
      }
      try {
        const response = await fetch(`${url}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user: "publisher", text: `message ${i}` }),
        });
        if (response.status === 201) acknowledged.push(await response.json());
      } catch {
        // the server is down: not acknowledged
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 / POST_RATE_PER_SECOND)); // under the POST rate limit
    }
    main = await restarted!;

    const before = acknowledged.filter((m) => Number(m.text.split(" ")[1]) < KILL_AFTER);
    const after = acknowledged.filter((m) => Number(m.text.split(" ")[1]) >= KILL_AFTER);
    expect(before.length).toBe(KILL_AFTER);
    expect(after.length).toBeGreaterThan(0); // the test must publish across the restart, or it proves nothing
    expect(after[0]!.id).toBeGreaterThan(before.at(-1)!.id); // ids continue after the restart

    for (const [name, client] of [
      ["poller", poller],
      ["socket", socket],
    ] as const) {
      await waitFor(() => acknowledged.every((m) => client.received.some((r) => r.id === m.id)), {
        what: `the ${name} to have every acknowledged message`,
        timeoutMs: 20_000,
      });
      const ids = client.received.map((m) => m.id);
      expect(new Set(ids).size, `${name}: no message twice`).toBe(ids.length);
      expect(ids, `${name}: in id order`).toEqual([...ids].sort((a, b) => a - b));
      for (const message of acknowledged) expect(client.received).toContainEqual(message);
    }
    stopPolling();
    socketClient.close();
  });
});

describe("a --memory restart: a new history, with a new epoch", () => {
  it("every message posted after the restart reaches open polling, conditional, long-poll, SSE and socket clients " +
    "exactly once, although its ids are below those already seen", async () => {
    let server = await startMain(["--port", "0", "--memory"]);
    const clients = fiveClients(server.url);
    try {
      const post = (text: string) => postMessage(server.url, { user: "publisher", text });
      const before = Array.from({ length: 8 }, (_, i) => uniqueText(`before ${i}`));
      for (const text of before) await post(text);
      for (const client of clients) await expectEachOnce(client, before);
      const oldEpoch = (await fetch(`${server.url}/messages`)).headers.get(EPOCH_HEADER);

      server.child.kill("SIGKILL");
      await server.exited;
      server = await startMain(["--port", String(server.port), "--memory"]);
      const after = Array.from({ length: 3 }, (_, i) => uniqueText(`after ${i}`));
      const acknowledged = [];
      for (const text of after) acknowledged.push(await post(text));
      // The new history's ids (2, 3, 4) are below the old ones the clients have seen (up to 9): only the epoch tells.
      expect(acknowledged.map((m) => m.id)).toEqual([2, 3, 4]);
      const newEpoch = (await fetch(`${server.url}/messages`)).headers.get(EPOCH_HEADER);
      expect(newEpoch).not.toBe(oldEpoch);

      for (const client of clients) {
        await expectEachOnce(client, [...before, ...after]);
        expect(
          client.received.filter((m) => m.text === "first message"),
          client.name,
        ).toHaveLength(2); // one each
        expect(client.epochs, client.name).toEqual([oldEpoch, newEpoch]);
      }
    } finally {
      for (const client of clients) client.stop();
      await killMain(server);
    }
  }, 180_000);
});

describe("a restart keeps the room as the teacher left it (issue 20)", () => {
  it("the same teacher URL works from another device, and the bot comes back at its rate", async () => {
    const data = mkdtempSync(join(tmpdir(), "chat-kept-"));
    let server = await startMain(["--port", "0", "--data", data]);
    try {
      const token = () => /\?teacher=([0-9a-f]+)/.exec(server.output())![1]!;
      const before = token();
      const teacher = { "content-type": "application/json", "x-teacher-token": before, origin: server.url };
      // From 127.0.0.2: another device, which has only the token.
      const set = await requestFrom(`${server.url}/bot`, { method: "POST", headers: teacher, body: '{"rate":3}' });
      expect(set).toEqual({ status: 200, body: { rate: 3 } });

      server.child.kill("SIGTERM"); // Ctrl+C
      await server.exited;
      server = await startMain(["--port", String(server.port), "--data", data]);
      expect(token()).toBe(before);
      expect(await (await fetch(`${server.url}/bot`)).json()).toEqual({ rate: 3 });
      const asked = await requestFrom(`${server.url}/class/teacher`, { headers: { "x-teacher-token": before } });
      expect(asked.body).toEqual({ teacher: true });
    } finally {
      await killMain(server);
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});
