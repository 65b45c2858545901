import { describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createChat } from "../../server/chat-factory.ts";
import { TrafficStats } from "../../server/counting/traffic-stats.ts";
import { MAX_BOT_RATE } from "../../shared/class-protocol.ts";
import { TEACHER_HEADER } from "../../shared/class-protocol.ts";

const setup = async () => createApp({ chat: await createChat(), stats: new TrafficStats() });

describe("createApp", () => {
  it("GET /time answers the server's clock", async () => {
    const { app } = await setup();
    const before = Date.now();
    const body = (await (await app.request("/time")).json()) as { now: number };
    expect(body.now).toBeGreaterThanOrEqual(before);
    expect(body.now).toBeLessThanOrEqual(Date.now());
  });

  it("GET /room answers the addresses the runtime gives it, and none without", async () => {
    const { app } = await setup();
    expect(await (await app.request("/room")).json()).toEqual({ urls: [] });
    const room = createApp({
      chat: await createChat(),
      stats: new TrafficStats(),
      roomUrls: () => ["http://192.168.1.20:8000/"],
    });
    expect(await (await room.app.request("/room")).json()).toEqual({ urls: ["http://192.168.1.20:8000/"] });
  });

  it("GET /stats counts requests by route and empty polls", async () => {
    const { app } = await setup();
    await app.request("/messages");
    await app.request("/messages?since=1");
    await app.request("/messages?since=1");
    const stats = (await (await app.request("/stats")).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({
      requests: { "GET /messages": 3, "GET /stats": 1 },
      emptyResponses: 2,
      upgrades: 0,
      openSockets: 0,
    });
    expect(stats.rssBytes).toEqual(expect.any(Number));
  });

  it("POST /bot (the teacher's, with the token) sets the chat bot's rate; bad rates are 400 JSON and change nothing", async () => {
    const { app, bot, teacherToken } = await setup();
    const headers = { "content-type": "application/json", [TEACHER_HEADER]: teacherToken };
    const post = (body: string) => app.request("/bot", { method: "POST", headers, body });
    const student = await app.request("/bot", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"rate":3}',
    });
    expect(student.status).toBe(403);
    expect(bot.rate).toBe(0);
    try {
      expect(await (await app.request("/bot")).json()).toEqual({ rate: 0 });
      const started = await post(JSON.stringify({ rate: 3 }));
      expect(started.status).toBe(200);
      expect(await started.json()).toEqual({ rate: 3 });
      expect(bot.rate).toBe(3);
      for (const body of [JSON.stringify({ rate: MAX_BOT_RATE + 1 }), JSON.stringify({ rate: "3" }), "{", "{}"]) {
        const refused = await post(body);
        expect(refused.status).toBe(400);
        expect(await refused.json()).toEqual({ error: expect.stringMatching(/rate/), code: "bad-request" });
        expect(bot.rate).toBe(3);
      }
      expect(await (await post(JSON.stringify({ rate: 0 }))).json()).toEqual({ rate: 0 });
    } finally {
      bot.stop();
    }
  });

  it("serves the pages, the bundled client and the style sheet", async () => {
    const assets = async () => ({ html: "<!doctype html><main></main>", js: "export {};", css: "main{}" });
    const { app } = createApp({ chat: await createChat(), assets });
    for (const page of ["/", "/polling", "/socket"]) {
      const response = await app.request(page);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(await response.text()).toBe("<!doctype html><main></main>");
    }
    const js = await app.request("/app.js");
    expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
    expect(await js.text()).toBe("export {};");
    const css = await app.request("/style.css");
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
  });
});
