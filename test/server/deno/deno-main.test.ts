import { spawn, type ChildProcess } from "node:child_process";
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
  deno = spawn(denoBinary(), [...startDenoArgs(), "--port", "0", "--host", "127.0.0.1"], {
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
      await waitFor(() => statuses.includes("socket open") && statuses.includes("sse open") && polled.length > 0, {
        what: "every client connected",
      });
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

  it("stops on SIGTERM: exits 0", async () => {
    deno.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
