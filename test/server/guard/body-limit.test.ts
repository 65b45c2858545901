import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bodyLimitByLength } from "../../../server/guard/body-limit.ts";

const app = new Hono();
const tooLarge = bodyLimitByLength(8, (c) => c.json({ error: "too large" }, 413));
app.post("/", tooLarge, async (c) => c.text(await c.req.text()));

/** A body with no Content-Length: sent chunked, so only counting it as it is read can tell its size. */
const streamed = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });

describe("bodyLimitByLength", () => {
  it("with a Content-Length: the header decides, under or over the limit", async () => {
    const ok = await app.request("/", { method: "POST", body: "12345678", headers: { "content-length": "8" } });
    expect([ok.status, await ok.text()]).toEqual([200, "12345678"]);
    const over = await app.request("/", { method: "POST", body: "123456789", headers: { "content-length": "9" } });
    expect([over.status, await over.json()]).toEqual([413, { error: "too large" }]);
  });

  it("without one: hono/body-limit counts the body as it is read", async () => {
    const init = { method: "POST", duplex: "half" } as RequestInit;
    const ok = await app.request(new Request("http://x/", { ...init, body: streamed("1234") }));
    expect([ok.status, await ok.text()]).toEqual([200, "1234"]);
    const over = await app.request(new Request("http://x/", { ...init, body: streamed("1234567890") }));
    expect(over.status).toBe(413);
  });
});
