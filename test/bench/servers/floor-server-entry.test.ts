import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { ServerProcess } from "../../../bench/servers/server-process.ts";
import { PATHS, type Message, type ServerFrame } from "../../../shared/protocol.ts";

// The floor server in its own process, spoken to as the bench clients speak to ours (the full runs against it are
// in run.test.ts): the same protocol, and counts the bench can read over IPC.
describe("the floor server (bench --floor)", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await ServerProcess.start({ entry: "floor" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (body: string) =>
    fetch(`${server.url}${PATHS.messages}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  /** Opens `/ws?since=…` and collects frames until `count` have arrived. */
  const frames = (since: number, count: number) =>
    new Promise<{ socket: WebSocket; frames: ServerFrame[] }>((resolve, reject) => {
      const socket = new WebSocket(`${server.wsUrl}${PATHS.socket}?since=${since}`);
      const got: ServerFrame[] = [];
      socket.on("message", (data) => got.push(JSON.parse(String(data))) === count && resolve({ socket, frames: got }));
      socket.once("error", reject);
    });

  it("starts with the lesson's first message, stores a POST with the next id and answers 201 with it", async () => {
    const first: Message[] = await (await fetch(`${server.url}${PATHS.messages}?since=0`)).json();
    expect(first).toMatchObject([{ id: 1, text: "first message" }]);

    const response = await post(JSON.stringify({ user: "ada", text: "hello" }));
    expect(response.status).toBe(201);
    const stored: Message = await response.json();
    expect(stored).toMatchObject({ id: 2, user: "ada", text: "hello" });
    expect(typeof stored.sentAt).toBe("number");

    const since1 = await fetch(`${server.url}${PATHS.messages}?since=1`);
    expect(await since1.json()).toEqual([stored]);
    // None of our server's extras: it is not the Hono app answering.
    expect(since1.headers.get("etag")).toBeNull();
    expect(await (await fetch(`${server.url}${PATHS.messages}?since=2`)).json()).toEqual([]);
  });

  it("/ws: as ours, the epoch, the history after `since`, then each new message, the frame the message", async () => {
    const { socket, frames: got } = await frames(1, 2);
    expect(got).toMatchObject([{ epoch: expect.any(String) }, { id: 2, text: "hello" }]);
    const next = new Promise<ServerFrame>((resolve) =>
      socket.once("message", (data) => resolve(JSON.parse(String(data)))),
    );
    await post(JSON.stringify({ user: "ada", text: "live" }));
    expect(await next).toMatchObject({ id: 3, text: "live" });
    socket.close();
  });

  it("answers what it cannot read with a status and a JSON error", async () => {
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty("error");
    const missing = await fetch(`${server.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toHaveProperty("error");
  });

  it("reports over IPC what it served: requests by route, empty answers, upgrades, bytes at the TCP sockets, broadcasts", async () => {
    const report = await server.snapshot();
    expect(report.requests).toMatchObject({ "GET /messages": 3, "POST /messages": 3, "GET /nowhere": 1 });
    expect(report.emptyResponses).toBe(1);
    expect(report.upgrades).toBe(1);
    // Headers alone of the 7 requests and their answers are well over 100 bytes each.
    expect(report.bytesRead).toBeGreaterThan(7 * 100);
    expect(report.bytesWritten).toBeGreaterThan(7 * 100);
    // Two messages stored: the first with no socket open, the second to the one socket.
    expect(report.broadcasts.map((b) => b.sockets)).toEqual([0, 1]);
    expect(report.broker?.received.map(([id]) => id)).toEqual([2, 3]);
  });
});
