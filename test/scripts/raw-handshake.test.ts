import { describe, expect, it } from "vitest";
import { buildUpgradeRequest, converse, parseResponseHead, parseTarget } from "../../scripts/raw-handshake.ts";
import { OPCODES } from "../../scripts/websocket-frame.ts";
import { computeAccept } from "../../shared/websocket-accept.ts";
import { isMessageFrame, type ServerFrame } from "../../shared/protocol.ts";
import { getMessages, uniqueText, useServer } from "../support/server.ts";

const server = useServer();

describe("parseTarget", () => {
  it("takes ws://, http:// or host:port, and defaults the path to /ws", () => {
    expect(parseTarget("ws://localhost:8000/ws").href).toBe("ws://localhost:8000/ws");
    expect(parseTarget("http://127.0.0.1:9/").href).toBe("ws://127.0.0.1:9/ws");
    expect(parseTarget("localhost:8000").href).toBe("ws://localhost:8000/ws");
  });

  it("refuses a scheme it cannot speak", () => {
    expect(() => parseTarget("wss://example.org/ws")).toThrow(/TLS/);
  });
});

describe("the request and the response head", () => {
  it("writes the lesson's upgrade request, CRLF after every line and a blank line at the end", () => {
    const request = buildUpgradeRequest(new URL("ws://localhost:8000/ws"), "dGhlIHNhbXBsZSBub25jZQ==");
    expect(request).toBe(
      "GET /ws HTTP/1.1\r\nHost: localhost:8000\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  });

  it("splits a response head into status and headers", () => {
    const head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: abc=\r\n\r\n";
    expect(parseResponseHead(head)).toEqual({
      status: 101,
      headers: [
        ["Upgrade", "websocket"],
        ["Sec-WebSocket-Accept", "abc="],
      ],
    });
  });
});

describe("converse", () => {
  it("upgrades with 101, gets the history, posts one masked message, sees it broadcast, and closes with 1000", async () => {
    const text = uniqueText("raw");
    const transcript = await converse(parseTarget(`${server().url}/ws`), { message: { user: "raw", text } });

    expect(transcript.status).toBe(101);
    const accept = transcript.headers.find(([name]) => name.toLowerCase() === "sec-websocket-accept")?.[1];
    expect(accept).toBe((await computeAccept(transcript.key)).accept);

    const order = transcript.frames.map(({ from, frame }) => `${from}:${frame.opcode}`);
    expect(order[0]).toBe(`server:${OPCODES.text}`);
    expect(order).toContain(`client:${OPCODES.text}`);
    expect(order.slice(-2)).toEqual([`client:${OPCODES.close}`, `server:${OPCODES.close}`]);
    for (const { from, frame } of transcript.frames) expect(frame.masked).toBe(from === "client");

    const hello = JSON.parse(transcript.frames[0]!.frame.payload.toString()) as ServerFrame;
    expect(hello).toEqual({ epoch: expect.any(String) });
    const texts = transcript.frames
      .filter(({ from, frame }) => from === "server" && frame.opcode === OPCODES.text)
      .map(({ frame }) => JSON.parse(frame.payload.toString()) as ServerFrame)
      .flatMap((frame) => (isMessageFrame(frame) ? [frame.text] : []));
    expect(texts).toContain(text);
    expect((await getMessages(server().url)).map((m) => m.text)).toContain(text);
    const close = transcript.frames[transcript.frames.length - 1]!.frame;
    expect(close.payload.readUInt16BE(0)).toBe(1000);
  });

  it("stops after the head when the server does not switch protocols", async () => {
    const transcript = await converse(parseTarget(`${server().url}/no-such-socket`));
    expect(transcript.status).not.toBe(101);
    expect(transcript.frames).toEqual([]);
  });
});
