import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_HEADER_BYTES, RESERVED_FILE_DESCRIPTORS } from "../../../server/limits/connection-limits.ts";
import { defaultConnectionLimits, fileDescriptorLimit } from "../../../server/node/connection-guard.ts";
import { useServer } from "../../support/server.ts";

const TOTAL = 30;
const PER_ADDRESS = 10;
const limits = { total: TOTAL, perAddress: PER_ADDRESS, headerBytes: MAX_HEADER_BYTES };
const server = useServer({ connectionLimits: limits });
/** As under `ulimit -n 1024`: the total (lowered to the descriptors) below the per-address cap. */
const roomy = useServer({ connectionLimits: { ...limits, perAddress: TOTAL * 4 } });

const held: Socket[] = [];
afterEach(() => {
  for (const socket of held.splice(0)) socket.destroy();
});

/** Opens `n` idle TCP connections from `localAddress` (any 127.x.y.z is this machine); how many the server closed. */
async function openIdle(n: number, localAddress: string, target = server) {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ port: target().port, host: "127.0.0.1", localAddress }, () => resolve(socket));
          socket.on("error", () => {}); // a refused one may be reset
          socket.once("error", reject);
        }),
    ),
  );
  held.push(...sockets);
  await new Promise((resolve) => setTimeout(resolve, 200)); // time for the server to refuse what it refuses
  return sockets.filter((socket) => socket.destroyed || socket.readableEnded).length;
}

/** GET /messages from `localAddress`, on a connection of its own. */
function getFrom(localAddress: string, target = server) {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${target().url}/messages`, { localAddress, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The teacher's `POST /class/new-chat`, from the server's own machine (127.0.0.1), on a connection of its own. */
function teacherNewChat(target = server) {
  return new Promise<number>((resolve, reject) => {
    const headers = { "content-type": "application/json" };
    const req = request(`${target().url}/class/new-chat`, { method: "POST", headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

/** Sends raw bytes on a fresh connection and returns everything the server sent back before closing. */
function raw(data: string | Buffer) {
  return new Promise<string>((resolve) => {
    const socket = connect({ port: server().port, host: "127.0.0.1" });
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    socket.on("error", () => {}); // writing the rest of a refused head may be reset
    socket.on("close", () => resolve(answer));
    socket.write(data, () => socket.end());
  });
}

describe("open connections are capped", () => {
  it(`one address past ${PER_ADDRESS} (MAX_CONNECTIONS_PER_ADDRESS in production) is refused; others still get answers`, async () => {
    expect(await openIdle(PER_ADDRESS + 5, "127.0.0.2")).toBe(5);
    expect(await getFrom("127.0.0.3")).toBe(200);
    await expect(getFrom("127.0.0.2")).rejects.toThrow(); // that address is still at its cap
  });

  it(`past ${TOTAL} in all (MAX_OPEN_CONNECTIONS) the caps are fair: a newcomer takes the place of the biggest holder's oldest idle connection`, async () => {
    // 3 addresses fill the room; a 4th comes: its connections push out the biggest holders', never its own.
    for (let i = 0; i < 3; i++) expect(await openIdle(PER_ADDRESS, `127.0.1.${i + 1}`)).toBe(0);
    const newcomer = await openIdle(5, "127.0.1.4");
    expect(newcomer).toBe(0); // none of the newcomer's own was closed
    const closed = held.filter((socket) => socket.destroyed || socket.readableEnded).length;
    expect(closed).toBe(5); // 5 of the holders' 30 made room
    // And a client from yet another address is answered, as is the teacher's machine (127.0.0.1).
    expect(await getFrom("127.0.1.5")).toBe(200);
    expect(await teacherNewChat()).toBe(200);
  });

  it("one address that holds the whole room (its per-address cap above the total) cannot lock out others or the teacher", async () => {
    expect(await openIdle(TOTAL, "127.0.2.1", roomy)).toBe(0);
    expect(await getFrom("127.0.2.2", roomy)).toBe(200);
    expect(await teacherNewChat(roomy)).toBe(200);
  });

  it("a class behind one NAT address keeps getting answers while a few hostile addresses fill the room", async () => {
    for (let i = 0; i < 3; i++) await openIdle(PER_ADDRESS, `127.0.3.${i + 1}`);
    // 8 phones behind one Wi-Fi address, each its own connection, all at once: every one answered.
    const answers = await Promise.all(Array.from({ length: 8 }, () => getFrom("127.0.3.9")));
    expect(answers).toEqual(Array(8).fill(200));
    expect(await teacherNewChat()).toBe(200);
  });

  it("the total cap fits the nofile limit, which Node itself raised from soft to hard at start", () => {
    const limit = fileDescriptorLimit();
    expect(limit).toBeGreaterThan(0);
    expect(defaultConnectionLimits().total).toBeLessThanOrEqual(limit! - RESERVED_FILE_DESCRIPTORS);
    const child = spawnSync(
      "sh",
      [
        "-c",
        `ulimit -Sn 256 && exec "${process.execPath}" -e "$0"`,
        'console.log(require("fs").readFileSync("/proc/self/limits", "utf8"))',
      ],
      { encoding: "utf8" },
    );
    const [, soft, hard] = /Max open files\s+(\d+)\s+(\d+)/.exec(child.stdout)!;
    expect(soft).toBe(hard);
  });
});

describe("the request head is limited by its bytes on the wire", () => {
  const head = (headers: string) => `GET /messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`;

  it.each([
    ["X-Pad: and 20,000,000 spaces", head(`X-Pad:${" ".repeat(20_000_000)}a\r\n`)],
    ["16,000 empty headers", head("X:\r\n".repeat(16_000))],
    ["a head just over the limit that arrives in one read", head(`X-Pad:${" ".repeat(MAX_HEADER_BYTES)}a\r\n`)],
  ])("%s: 431 with a JSON error, and the server carries on", async (_label, data) => {
    const answer = await raw(data);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({
      error: expect.any(String),
      code: "too-large",
    });
    expect(await getFrom("127.0.0.5")).toBe(200);
  });

  it.each([
    ["X-Pad: and 20,000,000 spaces", `X-Pad:${" ".repeat(20_000_000)}a\r\n`],
    ["16,000 empty headers", "X:\r\n".repeat(16_000)],
  ])(
    "%s on a keep-alive connection behind a waiting long poll: the connection is closed, no answer",
    async (_label, headers) => {
      const messages = (await (await fetch(`${server().url}/messages`)).json()) as { id: number }[];
      const since = messages.at(-1)?.id ?? 0;
      const socket = connect({ port: server().port, host: "127.0.0.1" });
      let answer = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
      socket.on("error", () => {}); // writing the rest of a refused head may be reset
      const closed = new Promise((resolve) => socket.on("close", resolve));
      socket.write(`GET /messages/wait?since=${since} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the long poll is held
      socket.write(`GET /messages HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
      await closed;
      expect(answer).not.toMatch(/HTTP\/1\.1 200 /);
    },
  );

  it("a head under the limit, sent a few bytes at a time, is answered", async () => {
    const socket = connect({ port: server().port, host: "127.0.0.1" });
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    const data = head(`X-Fine: ${"a".repeat(MAX_HEADER_BYTES / 2)}\r\n`);
    for (let i = 0; i < data.length; i += 4096) {
      socket.write(data.slice(i, i + 4096));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe("a request target the adapter cannot read gets a JSON 400, not a bare one", () => {
  it.each(["*", "/..\\package.json"])("GET %s", async (target) => {
    const answer = await raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toEqual({ error: expect.stringMatching(/bad request/), code: "bad-request" });
  });
});
