import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { hostnameOf } from "../../../server/guard/host.ts";
import { servedHosts } from "../../../server/node/served-hosts.ts";
import { useServer } from "../../support/server.ts";

const server = useServer({ hostNames: ["chat.room.example"], allowedOrigins: ["https://proxy.example"] });

/** A request from the server's own machine (the teacher's) with the given Host and a matching Origin. */
function send(method: string, path: string, host: string, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { host, origin: `http://${host}`, "content-type": "application/json" };
    const req = request(`${server().url}${path}`, { method, headers, agent: false }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("DNS rebinding: a Host the server does not serve is refused", () => {
  const evil = () => `evil.example:${server().port}`;

  it.each([
    ["POST", "/class/lock", '{"locked":true}'],
    ["POST", "/bot", '{"rate":5}'],
    ["POST", "/class/new-chat", "{}"],
    ["GET", "/class/teacher", undefined],
    ["GET", "/messages", undefined],
  ])("%s %s with Host evil.example and a matching Origin: 421 JSON, nothing done", async (method, path, body) => {
    const answer = await send(method, path, evil(), body);
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toEqual({
      error: expect.stringMatching(/host evil\.example.* --host-name/),
      code: "origin-refused",
    });
  });

  it("/ws does not upgrade for Host evil.example", async () => {
    const socket = new WebSocket(`${server().url.replace("http", "ws")}/ws`, {
      headers: { host: evil() },
      origin: `http://${evil()}`,
    });
    const status = await new Promise<number>((resolve) => {
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode!));
      socket.on("open", () => resolve(101));
      socket.on("error", () => {}); // terminated before it opened
    });
    socket.terminate();
    expect(status).toBe(421);
  });

  it.each([
    "127.0.0.1",
    "127.0.0.2", // tests and rehearsals open students at 127.0.0.2
    "localhost",
    "[::1]",
    "chat.room.example", // --host-name
    "proxy.example", // ALLOWED_ORIGINS' host
  ])("Host %s is served", async (name) => {
    const answer = await send("GET", "/class/teacher", `${name}:${server().port}`);
    expect(answer.status).toBe(200);
  });

  it("each of the machine's own addresses (the room's LAN address) is served", async () => {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address?.family === "IPv4");
    for (const address of addresses) {
      const answer = await send("GET", "/messages", `${address!.address}:${server().port}`);
      expect(answer.status, address!.address).toBe(200);
    }
  });
});

describe("servedHosts", () => {
  it("looks the interfaces up again for an unknown name, at most once a SERVED_ADDRESSES_REFRESH_MS", () => {
    let time = 0;
    const serves = servedHosts({ now: () => time });
    expect(serves("10.255.255.254")).toBe(false);
    time += 5000;
    expect(serves("10.255.255.254")).toBe(false);
    expect(serves("127.9.9.9")).toBe(true);
  });

  it("reads a Host header's name without its port or brackets", () => {
    expect(hostnameOf("Evil.Example:8000")).toBe("evil.example");
    expect(hostnameOf("[::1]:8000")).toBe("::1");
    expect(hostnameOf("a b")).toBeUndefined();
  });
});
