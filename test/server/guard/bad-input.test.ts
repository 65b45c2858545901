import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { Chat } from "../../../server/chat/chat.ts";
import { createChat } from "../../../server/chat-factory.ts";
import { MAX_BODY_BYTES } from "../../../server/limits/input-limits.ts";
import { isMessageFrame, PATHS, type ServerFrame } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

// Limits high enough that every random input reaches validation (the rate limits have their own tests).
const UNLIMITED = { perSecond: 1e9, burst: 1e9 };

const expectJsonError = async (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(await response.json()).toEqual({ error: expect.any(String), code: expect.any(String) });
};

describe("bad requests get a clear 4xx JSON error", () => {
  const { app } = createApp({ chat: new Chat() });

  for (const path of [
    `${PATHS.messages}?since=abc`,
    `${PATHS.messages}?since=-1`,
    `${PATHS.wait}?since=1.5`,
    `${PATHS.events}?since=abc`,
  ]) {
    it(`GET ${path} → 400`, async () => expectJsonError(await app.request(path), 400));
  }
  it("an unknown route → 404", async () => expectJsonError(await app.request("/no/such/thing"), 404));
  for (const method of ["PUT", "DELETE", "PATCH"]) {
    it(`${method} /messages → 405`, async () => expectJsonError(await app.request(PATHS.messages, { method }), 405));
  }
  it("POST /time (a GET-only route) → 4xx JSON", async () => {
    const response = await app.request(PATHS.time, { method: "POST" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.json()).toEqual({ error: expect.any(String), code: expect.any(String) });
  });
});

const contentTypes = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "",
    "multipart/form-data",
    "APPLICATION/JSON",
  ),
  fc.stringMatching(/^[\x21-\x7e]{0,30}$/),
);
const message = fc.record({ user: fc.anything(), text: fc.anything() }, { requiredKeys: [] });
const bodies = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.json(),
  message.map((value) => JSON.stringify(value) ?? ""),
  fc
    .record({ user: fc.string({ maxLength: 40 }), text: fc.string({ maxLength: 700 }) })
    .map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: MAX_BODY_BYTES + 100 }),
);

describe("property: random bodies and content types at POST /messages", () => {
  it("never 5xx; a rejected input is a JSON error and changes nothing; an accepted one adds exactly it", async () => {
    const chat = await createChat();
    const { app } = createApp({ chat, postLimit: UNLIMITED });
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, async (body, type) => {
        const before = await chat.since(0);
        const response = await app.request(PATHS.messages, {
          method: "POST",
          headers: type ? { "content-type": type } : {},
          body,
        });
        const after = await chat.since(0);
        expect(response.status).toBeLessThan(500);
        const answer = await response.json();
        if (response.status === 201) {
          expect(after).toEqual([...before, answer]);
        } else {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(answer).toEqual({ error: expect.any(String), code: expect.any(String) });
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("property: random frames at /ws on a real server", () => {
  const server = useServer({ socketLimit: UNLIMITED });
  const frames = fc.oneof(
    bodies.filter((body) => typeof body === "string").map((text) => ({ text: text as string })),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ binary: Buffer.from(bytes) })),
  );

  it("never crash; a rejected frame gets an error frame or a close code and changes nothing", async () => {
    let client = await SocketClient.open(server().url);
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        if (!client.isOpen) client = await SocketClient.open(server().url);
        const before = await server().chat.since(0);
        const seen = client.frames.length;
        client.send("text" in frame ? frame.text : frame.binary);
        // The answer: the message echoed back (accepted), an error frame, or the socket closed.
        const answer = await waitFor(
          () =>
            client.frames.slice(seen).find((f: ServerFrame) => isMessageFrame(f) || "error" in f) ??
            (client.closedWith && { closed: client.closedWith }),
          { what: "an answer to the frame" },
        );
        const after = await server().chat.since(0);
        if ("id" in answer) {
          expect(after).toEqual([...before, answer]);
        } else {
          if ("closed" in answer) expect([1003, 1007, 1009]).toContain(answer.closed.code);
          else expect(answer).toEqual({ error: expect.any(String), code: expect.any(String) });
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
    const response = await fetch(`${server().url}${PATHS.messages}`);
    expect(response.status).toBe(200); // still serving
  });
});
