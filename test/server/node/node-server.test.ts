import { request as httpRequest, Agent } from "node:http";
import { describe, expect, it } from "vitest";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../../server/limits/connection-limits.ts";
import { startServer } from "../../../server/node/node-server.ts";
import { getMessages, postMessage, useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";

const server = useServer();

/** One GET through a keep-alive agent, resolving with the status, headers and the local port of its TCP socket. */
function get(agent: Agent, path: string) {
  return new Promise<{ status: number; keepAlive: string | undefined; localPort: number }>((resolve, reject) => {
    const req = httpRequest(`${server().url}${path}`, { agent }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          keepAlive: res.headers["keep-alive"] as string | undefined,
          localPort: req.socket!.localPort!,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("startServer", () => {
  it("listens on a free port on loopback and serves the chat", async () => {
    expect(server().port).toBeGreaterThan(0);
    expect(server().url).toBe(`http://127.0.0.1:${server().port}`);
    expect((await getMessages(server().url))[0]).toMatchObject({ id: 1, text: "first message" });
  });

  it(`keeps idle connections for KEEP_ALIVE_TIMEOUT_MS (${KEEP_ALIVE_TIMEOUT_MS} ms), longer than any poll interval`, () => {
    expect(server().server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(5_000); // Node's default, which would close between slow polls
    expect(server().server.headersTimeout).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
  });

  it("several polls reuse one TCP connection, and say how long it stays open", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = (await (await fetch(`${server().url}/stats`)).json()) as { connections: number };
      const polls = [];
      for (let i = 0; i < 5; i++) polls.push(await get(agent, "/messages?since=1"));
      expect(polls.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
      expect(new Set(polls.map((p) => p.localPort)).size).toBe(1);
      expect(polls[0]!.keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
      const after = (await (await fetch(`${server().url}/stats`)).json()) as { connections: number };
      // The five polls opened one connection; the two fetches of /stats at most one more (fetch keeps its own).
      expect(after.connections - before.connections).toBeLessThanOrEqual(2);
    } finally {
      agent.destroy();
    }
  });

  it("counts bytes at the TCP socket, headers included", async () => {
    const stats = async () =>
      (await (await fetch(`${server().url}/stats`)).json()) as { bytesRead: number; bytesWritten: number };
    const before = await stats();
    const posted = await postMessage(server().url, { user: "a", text: "counted" });
    const after = await stats();
    // At least the response body of the POST, plus the request's headers and body.
    expect(after.bytesWritten - before.bytesWritten).toBeGreaterThan(JSON.stringify(posted).length);
    expect(after.bytesRead - before.bytesRead).toBeGreaterThan('{"user":"a","text":"counted"}'.length + 50);
  });

  it("close() stops the bot, drops open sockets and frees the port", async () => {
    const own = await startServer({ port: 0, hostname: "127.0.0.1" });
    own.bot.setRate(5);
    const client = await SocketClient.open(own.url);
    await own.close();
    expect(own.bot.rate).toBe(0);
    await client.waitForClose();
    expect(own.server.listening).toBe(false);
    await expect(fetch(`${own.url}/messages`)).rejects.toThrow();
  });
});
