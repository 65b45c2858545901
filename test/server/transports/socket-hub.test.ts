import { afterEach, describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "../../../server/limits/input-limits.ts";
import { CLOSE_UNSUPPORTED_DATA } from "../../../server/transports/socket-hub.ts";
import { isMessageFrame, MAX_TEXT_LENGTH, type Message } from "../../../shared/protocol.ts";
import { getMessages, postMessage, uniqueText, useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

// `/ws` on a real server: real TCP, real `ws` clients.
const server = useServer();
const clients: SocketClient[] = [];
const open = async (query = "") => {
  const client = await SocketClient.open(server().url, query);
  clients.push(client);
  return client;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

describe("/ws", () => {
  it("sends its epoch first, then the history a message a frame (the frame is the message), then every message POSTed", async () => {
    const client = await open();
    const hello = await client.waitForFrame((frame) => "epoch" in frame);
    expect(client.frames[0]).toBe(hello);
    expect(hello).toEqual({ epoch: server().chat.epoch });
    const first = await client.waitForFrame(isMessageFrame);
    expect(client.frames[1]).toBe(first);
    expect(first).toMatchObject({ id: 1, text: "first message" });

    const text = uniqueText("posted over HTTP");
    const posted = await postMessage(server().url, { user: "curl", text });
    expect(await client.waitForText(text)).toEqual(posted);
  });

  it("a message sent on a socket is stored, reaches other sockets and pollers", async () => {
    const sender = await open();
    const listener = await open();
    const since = (await getMessages(server().url)).at(-1)!.id;
    const text = uniqueText("sent over the socket");
    sender.send({ user: "ws", text });

    const heard = await listener.waitForText(text);
    expect(await sender.waitForText(text)).toEqual(heard); // the sender hears its own message too
    expect(heard).toMatchObject({ user: "ws", text, id: expect.any(Number), sentAt: expect.any(Number) });
    expect(await getMessages(server().url, since)).toEqual([heard]);
  });

  it("?since=<id> resumes: exactly the messages missed while away, each once, then live ones", async () => {
    const first = await open();
    const seenId = (await getMessages(server().url)).at(-1)!.id;
    await first.waitForFrame((frame) => isMessageFrame(frame) && frame.id === seenId);
    await first.close();

    const missed: Message[] = [];
    for (let i = 0; i < 5; i++)
      missed.push(await postMessage(server().url, { user: "away", text: uniqueText(`missed ${i}`) }));

    const resumed = await open(`?since=${seenId}`);
    await resumed.waitForFrame((frame) => isMessageFrame(frame) && frame.id === missed.at(-1)!.id);
    expect(resumed.frames).toEqual([{ epoch: server().chat.epoch }, ...missed]);

    const live = await postMessage(server().url, { user: "back", text: uniqueText("live") });
    await resumed.waitForText(live.text);
    expect(resumed.messages).toEqual([...missed, live]);
  });

  it("no message is lost or doubled when messages are posted while sockets connect", async () => {
    const base = (await getMessages(server().url)).at(-1)!.id;
    let connected = false;
    // Straight into the chat, not over HTTP: the race is between storing and a socket joining (and POST is rate-limited).
    // Posting goes on until every socket is open, and a little after, so joins happen in the middle of it.
    const posting = (async () => {
      const posted = [];
      for (let after = 0; after < 10; after += connected ? 1 : 0) {
        posted.push(await server().chat.post({ user: "race", text: uniqueText(`race ${posted.length}`) }));
        await new Promise((resolve) => setImmediate(resolve));
      }
      return posted;
    })();
    const sockets = await Promise.all(Array.from({ length: 8 }, () => open(`?since=${base}`)));
    connected = true;
    const posted = await posting;
    expect(posted.length).toBeGreaterThan(10);
    const lastId = posted.at(-1)!.id;
    for (const socket of sockets) {
      await waitFor(() => socket.messages.some((m) => m.id === lastId), { what: "the last raced message" });
      expect(socket.messages.map((m) => m.id)).toEqual(posted.map((m) => m.id));
    }
  });

  it.each<[string, unknown, RegExp, string]>([
    ["malformed JSON", '{"user":', /^frame is not valid JSON$/, "bad-message"],
    ["a non-object", "[1,2]", /JSON object/, "bad-message"],
    ["missing user", { text: "hi" }, /user must be a string/, "bad-message"],
    ["non-string text", { user: "a", text: 5 }, /text must be a string/, "bad-message"],
    ["empty text", { user: "a", text: "" }, /text must not be empty/, "empty-text"],
    ["text too long", { user: "a", text: "x".repeat(MAX_TEXT_LENGTH + 1) }, /at most 500 characters/, "text-too-long"],
  ])("%s gets an error frame, stores nothing, and the socket stays open", async (_name, frame, error, code) => {
    const client = await open();
    await client.waitForFrame((f) => "epoch" in f);
    const before = await getMessages(server().url);
    client.send(frame);
    const reply = await client.waitForFrame((f) => "error" in f);
    expect(reply).toEqual({ error: expect.stringMatching(error), code });
    expect(await getMessages(server().url)).toEqual(before);

    // Still open and still useful: a good frame afterwards is accepted.
    expect(client.isOpen).toBe(true);
    const text = uniqueText("after an error");
    client.send({ user: "a", text });
    await client.waitForText(text);
  });

  it(`a message of MAX_TEXT_LENGTH (${MAX_TEXT_LENGTH}) characters reaches every socket whole (a frame with a 16-bit length)`, async () => {
    const [a, b] = [await open(), await open()];
    await Promise.all([a, b].map((client) => client.waitForFrame((frame) => "epoch" in frame)));
    const text = uniqueText("long").padEnd(MAX_TEXT_LENGTH, "é");
    const posted = await postMessage(server().url, { user: "long", text });
    expect(await a.waitForText(text)).toEqual(posted);
    expect(await b.waitForText(text)).toEqual(posted);
  });

  it(`a binary frame closes the socket with ${CLOSE_UNSUPPORTED_DATA} and a reason`, async () => {
    const client = await open();
    await client.waitForFrame((f) => "epoch" in f);
    const before = await getMessages(server().url);
    client.send(Buffer.from(JSON.stringify({ user: "a", text: "binary" })));
    const closed = await client.waitForClose();
    expect(closed.code).toBe(CLOSE_UNSUPPORTED_DATA);
    expect(closed.reason).toMatch(/binary/);
    expect(await getMessages(server().url)).toEqual(before);
  });

  it(`a frame over MAX_FRAME_BYTES (${MAX_FRAME_BYTES}) closes the socket with 1009`, async () => {
    const client = await open();
    client.send(JSON.stringify({ user: "a", text: "x".repeat(MAX_FRAME_BYTES) }));
    expect((await client.waitForClose()).code).toBe(1009);
  });

  it("?since=abc closes with 1008 and a reason", async () => {
    const client = await open("?since=abc");
    const closed = await client.waitForClose();
    expect(closed).toEqual({ code: 1008, reason: expect.stringMatching(/since/) });
  });

  it("a plain GET /ws (no Upgrade) is 426 JSON", async () => {
    const response = await fetch(`${server().url}/ws`);
    expect(response.status).toBe(426);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/WebSocket/), code: "upgrade-required" });
  });

  it("counts upgrades and open sockets in /stats, and forgets closed ones", async () => {
    const stats = async () =>
      (await (await fetch(`${server().url}/stats`)).json()) as { upgrades: number; openSockets: number };
    const before = await stats();
    const client = await open();
    await client.waitForFrame((f) => "epoch" in f);
    const during = await stats();
    expect(during.upgrades).toBe(before.upgrades + 1);
    expect(during.openSockets).toBe(before.openSockets + 1);
    await client.close();
    await waitFor(async () => (await stats()).openSockets === before.openSockets, { what: "openSockets to drop" });
  });
});
