import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";

// Conditional GET /messages through `app.request()`.
describe("GET /messages with ETag / If-None-Match", () => {
  it("answers an ETag; the same tag in If-None-Match gets 304 with no body while nothing changed", async () => {
    const chatApp = createApp({ chat: await createChat() });
    const first = await chatApp.app.request("/messages?since=1");
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual([]);
    const tag = first.headers.get("etag")!;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get("cache-control")).toBe("no-store");

    const unchanged = await chatApp.app.request("/messages?since=1", { headers: { "If-None-Match": tag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get("etag")).toBe(tag);
    expect(await unchanged.text()).toBe("");
    expect(chatApp.stats.emptyResponses).toBe(2);
  });

  it("a new message changes the tag: the same If-None-Match then gets 200 with the message", async () => {
    const chatApp = createApp({ chat: await createChat() });
    const tag = (await chatApp.app.request("/messages?since=1")).headers.get("etag")!;
    const posted = await chatApp.chat.post({ user: "a", text: "news" });
    const changed = await chatApp.app.request("/messages?since=1", { headers: { "If-None-Match": tag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
    expect(await changed.json()).toEqual([posted]);
  });

  it("tags differ between since values, so one URL's tag never answers another", async () => {
    const chatApp = createApp({ chat: await createChat() });
    await chatApp.chat.post({ user: "a", text: "two" });
    const all = (await chatApp.app.request("/messages")).headers.get("etag")!;
    const response = await chatApp.app.request("/messages?since=2", { headers: { "If-None-Match": all } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it("accepts a weak tag, a list, and *", async () => {
    const chatApp = createApp({ chat: await createChat() });
    const tag = (await chatApp.app.request("/messages")).headers.get("etag")!;
    for (const header of [`W/${tag}`, `"x", ${tag}`, "*"]) {
      expect((await chatApp.app.request("/messages", { headers: { "If-None-Match": header } })).status).toBe(304);
    }
  });
});
