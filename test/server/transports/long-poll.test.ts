import { describe, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";
import { EPOCH_HEADER, type Message } from "../../../shared/protocol.ts";
import { waitFor } from "../../support/wait.ts";

// Through `app.request()`: the route holds a plain Request until it has an answer.
async function makeApp(longPoll: AppOptions["longPoll"] = {}) {
  return createApp({ chat: await createChat(), longPoll });
}

describe("GET /messages/wait", () => {
  it("answers at once when newer messages exist", async () => {
    const chatApp = await makeApp();
    await chatApp.chat.post({ user: "a", text: "two" });
    const response = await chatApp.app.request("/messages/wait?since=1");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(((await response.json()) as Message[]).map((m) => m.text)).toEqual(["two"]);
    expect(chatApp.longPolls.held.size).toBe(0);
  });

  it("holds the request and answers as soon as a message arrives", async () => {
    const chatApp = await makeApp();
    let answered = false;
    const pending = Promise.resolve(chatApp.app.request("/messages/wait?since=1")).then((response) => {
      answered = true;
      return response;
    });
    await waitFor(() => chatApp.longPolls.held.size === 1, { what: "the poll to be held" });
    expect(answered).toBe(false);
    const posted = await chatApp.chat.post({ user: "a", text: "now" });
    expect(await (await pending).json()).toEqual([posted]);
    expect(chatApp.longPolls.held.size).toBe(0);
  });

  it("answers [] when the hold time runs out", async () => {
    const chatApp = await makeApp({ timeoutMs: 30 });
    const response = await chatApp.app.request("/messages/wait?since=1");
    expect(await response.json()).toEqual([]);
    expect(chatApp.stats.emptyResponses).toBe(1);
    expect(chatApp.longPolls.held.size).toBe(0);
  });

  it.each(["abc", "-1", "1e3"])("?since=%s is 400 with a JSON error", async (since) => {
    const chatApp = await makeApp();
    const response = await chatApp.app.request(`/messages/wait?since=${since}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/since/), code: "bad-request" });
  });

  it("answers 503 with a JSON error and Retry-After when the held polls are at the limit", async () => {
    const chatApp = await makeApp({ maxHeld: 1 });
    const held = chatApp.app.request("/messages/wait?since=1");
    await waitFor(() => chatApp.longPolls.held.size === 1, { what: "the first poll to be held" });
    const refused = await chatApp.app.request("/messages/wait?since=1");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/long polls/), code: "server-busy" });
    await chatApp.shutdown();
    expect(await (await held).json()).toEqual([]);
  });

  it("frees the slot when the client goes away", async () => {
    const chatApp = await makeApp();
    const leaving = new AbortController();
    const pending = chatApp.app.request(
      new Request("http://localhost/messages/wait?since=1", { signal: leaving.signal }),
    );
    await waitFor(() => chatApp.longPolls.held.size === 1, { what: "the poll to be held" });
    leaving.abort();
    await Promise.resolve(pending).catch(() => {});
    expect(chatApp.longPolls.held.size).toBe(0);
    expect(chatApp.longPolls.inProgress).toBe(0);
  });

  it("shutdown answers every held poll with [] and later polls at once", async () => {
    const chatApp = await makeApp();
    const pending = [1, 2, 3].map(() => chatApp.app.request("/messages/wait?since=1"));
    await waitFor(() => chatApp.longPolls.held.size === 3, { what: "three held polls" });
    await chatApp.shutdown();
    for (const response of await Promise.all(pending)) expect(await response.json()).toEqual([]);
    expect(await (await chatApp.app.request("/messages/wait?since=1")).json()).toEqual([]);
  });
});

describe("GET /messages/wait across histories", () => {
  it("says its epoch; a since from another epoch is answered at once, from the history's start", async () => {
    const chatApp = await makeApp();
    await chatApp.chat.post({ user: "a", text: "two" });
    const response = await chatApp.app.request("/messages/wait?since=9&epoch=0123456789ab");
    expect(response.headers.get(EPOCH_HEADER)).toBe(chatApp.chat.epoch);
    expect(((await response.json()) as Message[]).map((m) => m.text)).toEqual(["first message", "two"]);
  });
});
