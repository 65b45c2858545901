import { beforeEach, describe, expect, it } from "vitest";
import { createApp, type ChatApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";
import { MAX_BODY_BYTES } from "../../../server/limits/input-limits.ts";
import { EPOCH_HEADER, ERROR_CODES, MAX_TEXT_LENGTH, type Message } from "../../../shared/protocol.ts";

// Routes through `app.request()`: plain Request in, Response out, no port opened.
let chatApp: ChatApp;
let published: Message[];

beforeEach(async () => {
  chatApp = createApp({ chat: await createChat() });
  published = [];
  chatApp.chat.subscribe((message) => published.push(message));
});

const request = async (path: string, init?: RequestInit): Promise<Response> => chatApp.app.request(path, init);
const postJson = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  request("/messages", { method: "POST", headers, body });

describe("GET /messages", () => {
  it("returns the history, which starts with the lesson's first message", async () => {
    const response = await request("/messages");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const messages = (await response.json()) as Message[];
    expect(messages).toEqual([
      { id: 1, user: "server", text: "first message", sentAt: expect.any(Number), from: "server" },
    ]);
  });

  it("?since=<id> returns only newer messages, and [] when there are none", async () => {
    await chatApp.chat.post({ user: "a", text: "two" });
    await chatApp.chat.post({ user: "a", text: "three" });
    expect(((await (await request("/messages?since=1")).json()) as Message[]).map((m) => m.text)).toEqual([
      "two",
      "three",
    ]);
    expect(await (await request("/messages?since=3")).json()).toEqual([]);
    expect(chatApp.stats.emptyResponses).toBe(1);
  });

  it.each(["abc", "-1", "1.5"])("?since=%s is 400 with a JSON error", async (since) => {
    const response = await request(`/messages?since=${since}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/since/), code: "bad-request" });
  });
});

describe("POST /messages", () => {
  it("stores the message, answers 201 with it, and publishes it", async () => {
    const response = await postJson(JSON.stringify({ user: "ada", text: "hello" }));
    expect(response.status).toBe(201);
    const message = (await response.json()) as Message;
    expect(message).toEqual({ id: 2, user: "ada", text: "hello", sentAt: expect.any(Number) });
    expect(await chatApp.chat.since(1)).toEqual([message]);
    expect(published).toEqual([message]);
  });

  it("accepts a charset in the content type", async () => {
    const response = await postJson(JSON.stringify({ user: "a", text: "b" }), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(response.status).toBe(201);
  });

  const bigBody = JSON.stringify({ user: "a", text: "b", padding: "x".repeat(MAX_BODY_BYTES) });

  // Every bad input: its status, a JSON error, and nothing stored or broadcast.
  it.each<[string, () => Promise<Response>, number]>([
    ["malformed JSON", () => postJson('{"user":"a","text":'), 400],
    ["a JSON array", () => postJson('[{"user":"a","text":"b"}]'), 400],
    ["missing user", () => postJson(JSON.stringify({ text: "b" })), 400],
    ["missing text", () => postJson(JSON.stringify({ user: "a" })), 400],
    ["non-string user", () => postJson(JSON.stringify({ user: 7, text: "b" })), 400],
    ["non-string text", () => postJson(JSON.stringify({ user: "a", text: { x: 1 } })), 400],
    ["empty text", () => postJson(JSON.stringify({ user: "a", text: "" })), 400],
    ["blank text", () => postJson(JSON.stringify({ user: "a", text: "   " })), 400],
    [
      `text over ${MAX_TEXT_LENGTH} characters`,
      () => postJson(JSON.stringify({ user: "a", text: "x".repeat(MAX_TEXT_LENGTH + 1) })),
      413,
    ],
    [`a body over MAX_BODY_BYTES (${MAX_BODY_BYTES})`, () => postJson(bigBody), 413],
    [
      "a body over MAX_BODY_BYTES with a Content-Length header",
      () => postJson(bigBody, { "content-type": "application/json", "content-length": String(bigBody.length) }),
      413,
    ],
    [
      "text/plain content type",
      () => postJson(JSON.stringify({ user: "a", text: "b" }), { "content-type": "text/plain" }),
      415,
    ],
    [
      "form content type",
      () => postJson("user=a&text=b", { "content-type": "application/x-www-form-urlencoded" }),
      415,
    ],
    ["no content type", () => postJson(JSON.stringify({ user: "a", text: "b" }), {}), 415],
  ])("%s → %i, JSON error, store unchanged", async (_name, send, status) => {
    const before = await chatApp.chat.since(0);
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as { error: unknown; code: unknown };
    expect(Object.keys(body)).toEqual(["error", "code"]);
    expect(typeof body.error).toBe("string");
    expect(ERROR_CODES).toContain(body.code);
    expect(await chatApp.chat.since(0)).toEqual(before);
    expect(published).toEqual([]);
  });
});

describe("other routes", () => {
  it.each(["PUT", "DELETE", "PATCH"])("%s /messages is 405 JSON and changes nothing", async (method) => {
    const before = await chatApp.chat.since(0);
    const response = await request("/messages", {
      method,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({ error: `${method} is not allowed on /messages`, code: "bad-request" });
    expect(await chatApp.chat.since(0)).toEqual(before);
  });

  it.each(["/nope", "/messages/1", "/messages.json"])("unknown route %s is 404 JSON", async (path) => {
    const response = await request(path);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ error: `no route for GET ${path}`, code: "not-found" });
  });
});

describe("the history's epoch (Chat-Epoch)", () => {
  it("GET and POST's 201 say it; ?since= from another epoch gets the history from its start", async () => {
    const epoch = chatApp.chat.epoch;
    const created = await postJson(JSON.stringify({ user: "a", text: "two" }));
    expect([created.status, created.headers.get(EPOCH_HEADER)]).toEqual([201, epoch]);
    const same = await request(`/messages?since=1&epoch=${epoch}`);
    expect(same.headers.get(EPOCH_HEADER)).toBe(epoch);
    expect(((await same.json()) as Message[]).map((m) => m.text)).toEqual(["two"]);
    const other = await request("/messages?since=2&epoch=0123456789ab");
    expect(other.headers.get(EPOCH_HEADER)).toBe(epoch);
    expect(((await other.json()) as Message[]).map((m) => m.text)).toEqual(["first message", "two"]);
    expect(other.headers.get("etag")).not.toBe(same.headers.get("etag"));
  });
});
