import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { startPolling } from "../../../clients/transports/polling.ts";
import { connect } from "../../../clients/transports/socket.ts";
import { denoBinary, ROOT, startDenoArgs } from "../../../bench/servers/deno-binary.ts";
import { listen } from "../../../clients/transports/sse.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

let deno: ChildProcess;
let exited: Promise<number | null>;
let url = "";
let output = "";

beforeAll(async () => {
  const args = ["--port", "0", "--host", "127.0.0.1", "--host-name", "chat.room.example"];
  deno = spawn(denoBinary(), [...startDenoArgs(), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  deno.stdout!.on("data", (chunk) => (output += chunk));
  deno.stderr!.on("data", (chunk) => (output += chunk));
  exited = new Promise((resolve) => deno.once("exit", (code) => resolve(code)));
  const port = await waitFor(() => /http:\/\/localhost:(\d+)\//.exec(output)?.[1], {
    what: `Deno's URL (${output})`,
    timeoutMs: 90_000,
  });
  url = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  if (deno.exitCode === null && deno.signalCode === null) deno.kill("SIGKILL");
  await exited;
});

describe("npm run start:deno: the same createApp on Deno.serve", () => {
  it("serves the page, and polling, the socket and SSE (the project's clients) each get a posted message", async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);

    const polled: Message[] = [];
    const pushed: Message[] = [];
    const streamed: Message[] = [];
    const statuses: string[] = [];
    const stopPolling = startPolling({ baseUrl: url, interval: 100, fetch, onMessages: (m) => polled.push(...m) });
    const socket = connect({
      baseUrl: url.replace("http", "ws"),
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
      onMessage: (m) => pushed.push(m),
      onStatus: (s) => statuses.push(`socket ${s}`),
    });
    const stopSse = listen({
      baseUrl: url,
      EventSource: class extends EventSource {
        constructor(target: string) {
          super(target, { fetch });
        }
      },
      onMessage: (m) => streamed.push(m),
      onStatus: (s) => statuses.push(`sse ${s}`),
    });
    try {
      // The socket reports "open" before its history frame arrives: wait for each client's first message too.
      await waitFor(
        () =>
          statuses.includes("socket open") &&
          statuses.includes("sse open") &&
          polled.length > 0 &&
          pushed.length > 0 &&
          streamed.length > 0,
        { what: "every client connected, with the history" },
      );
      // Each first gets the history, which starts with the chat's first message; then a message posted now.
      for (const got of [polled, pushed, streamed]) expect(got[0]?.text).toBe("first message");
      const posted = await postMessage(url, { user: "deno", text: uniqueText("over POST") });
      for (const [name, got] of [
        ["polling", polled],
        ["socket", pushed],
        ["sse", streamed],
      ] as const) {
        await waitFor(() => got.some((m) => m.id === posted.id), { what: `${name} to get the posted message` });
      }
      const stats = await (await fetch(`${url}/stats`)).json();
      expect(stats).toMatchObject({ upgrades: 1, openSockets: 1, openEventStreams: 1 });
      expect(stats.requests["POST /messages"]).toBe(1);
    } finally {
      stopPolling();
      socket.close();
      stopSse();
    }
  }, 120_000);

  it("refuses a Host it does not serve (DNS rebinding) with 421, as on Node; its own names and --host-name pass", async () => {
    const port = new URL(url).port;
    /** From the server's own machine (the teacher's), with the given Host and a matching Origin. */
    const send = (path: string, host: string, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const headers = { host, origin: `http://${host}`, "content-type": "application/json" };
        const method = body === undefined ? "GET" : "POST";
        const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on("error", reject);
        req.end(body);
      });
    for (const [path, body] of [
      ["/class/lock", '{"locked":true}'],
      ["/class/new-chat", "{}"],
      ["/class/teacher", undefined],
    ] as const) {
      const answer = await send(path, `evil.example:${port}`, body);
      expect(answer.status, path).toBe(421);
      expect(JSON.parse(answer.body)).toMatchObject({ code: "origin-refused" });
    }
    const socket = new NodeWebSocket(`${url.replace("http", "ws")}/ws`, {
      headers: { host: `evil.example:${port}` },
      origin: `http://evil.example:${port}`,
    });
    const upgraded = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
      socket.on("open", () => resolve(101));
      socket.on("error", () => {}); // cut before it opened
    });
    socket.terminate();
    expect(upgraded).toBe(421);
    for (const host of ["127.0.0.1", "localhost", "chat.room.example"])
      expect((await send("/class/teacher", `${host}:${port}`)).status, host).toBe(200);
    const locked = (await (await fetch(`${url}/messages`)).json()) as unknown[];
    expect(locked.length).toBeGreaterThan(0); // the refused lock locked nothing: still served
  }, 60_000);

  it("stops on SIGTERM: exits 0", async () => {
    deno.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
