import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createApp } from "../../../server/app.ts";
import { Chat } from "../../../server/chat/chat.ts";
import { ALLOWED_ORIGINS_ENV } from "../../../server/config.ts";
import { isAllowedOrigin, parseAllowedOrigins } from "../../../server/guard/origin.ts";
import { PATHS } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";

describe("isAllowedOrigin()", () => {
  it("allows no Origin (curl, Node clients), the server's own origin and listed ones; nothing else", () => {
    expect(isAllowedOrigin(undefined, "localhost:8000", [])).toBe(true);
    expect(isAllowedOrigin("http://localhost:8000", "localhost:8000", [])).toBe(true);
    expect(isAllowedOrigin("http://LOCALHOST:8000", "localhost:8000", [])).toBe(true);
    expect(isAllowedOrigin("http://localhost:8001", "localhost:8000", [])).toBe(false);
    expect(isAllowedOrigin("http://evil.example", "localhost:8000", [])).toBe(false);
    expect(isAllowedOrigin("null", "localhost:8000", [])).toBe(false);
    expect(isAllowedOrigin("http://evil.example", undefined, [])).toBe(false);
    expect(isAllowedOrigin("http://evil.example", "localhost:8000", ["http://evil.example"])).toBe(true);
    expect(isAllowedOrigin("http://evil.example", "localhost:8000", ["*"])).toBe(true);
  });

  it(`parses ${ALLOWED_ORIGINS_ENV}: comma-separated, trimmed, trailing slash dropped`, () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins("")).toEqual([]);
    expect(parseAllowedOrigins(" http://a:8000/ , http://b ,,")).toEqual(["http://a:8000", "http://b"]);
  });
});

describe("the origin guard in createApp()", () => {
  const { app } = createApp({ chat: new Chat() });
  for (const path of [PATHS.socket, PATHS.wait, PATHS.events]) {
    it(`${path}: a foreign Origin gets 403 with a JSON error`, async () => {
      const response = await app.request(path, { headers: { origin: "http://evil.example", host: "localhost:8000" } });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: expect.stringContaining("http://evil.example is not allowed"),
        code: "origin-refused",
      });
    });
  }
  it("other routes are not guarded (GET /messages is public, like the chat)", async () => {
    const response = await app.request(PATHS.messages, { headers: { origin: "http://evil.example" } });
    expect(response.status).toBe(200);
  });
});

/** Opens /ws with the given Origin; resolves with the HTTP status of the answer (101 when upgraded). */
function upgradeStatus(url: string, origin?: string): Promise<{ status: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}${PATHS.socket}`, origin ? { origin } : {});
    socket.on("open", () => {
      socket.close();
      resolve({ status: 101 });
    });
    socket.on("unexpected-response", (_request, response) => {
      resolve({ status: response.statusCode!, error: response.headers["x-error"] as string | undefined });
      response.resume();
      socket.terminate();
    });
    socket.on("error", (error) => (error.message.includes("Unexpected server response") ? undefined : reject(error)));
  });
}

describe("the /ws upgrade on a real server", () => {
  const server = useServer({ allowedOrigins: ["http://teacher.example:8000"] });

  it("a foreign Origin gets 403 before the upgrade, with the reason in x-error", async () => {
    const answer = await upgradeStatus(server().url, "http://evil.example");
    expect(answer.status).toBe(403);
    expect(answer.error).toContain("http://evil.example is not allowed");
    expect(server().hub.sockets.size).toBe(0);
  });

  it("the server's own origin, no Origin, and a listed origin are upgraded (101)", async () => {
    expect(await upgradeStatus(server().url, server().url)).toEqual({ status: 101 });
    expect(await upgradeStatus(server().url)).toEqual({ status: 101 });
    expect(await upgradeStatus(server().url, "http://teacher.example:8000")).toEqual({ status: 101 });
  });

  it("the upgrade answer carries no header from middleware (only the handshake's own)", async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const socket = new WebSocket(`${server().url.replace(/^http/, "ws")}${PATHS.socket}`, { origin: server().url });
      socket.on("upgrade", (response) => resolve(response.headers));
      socket.on("open", () => socket.close());
      socket.on("error", reject);
    });
    expect(Object.keys(headers).sort()).toEqual(["connection", "sec-websocket-accept", "upgrade"]);
  });
});
