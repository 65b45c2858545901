import { describe, expect, it } from "vitest";
import { converse, parseTarget } from "../../../scripts/raw-handshake.ts";
import { OPCODES } from "../../../scripts/websocket-frame.ts";
import { HANDSHAKE_PARAM, type HandshakeFrame, type ServerFrame } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";

const server = useServer();
const lines = (head: string) => head.split("\r\n").filter((line) => line !== "");

describe("/ws?handshake", () => {
  it("first tells the socket its upgrade request and the 101 exactly as they crossed the wire", async () => {
    const transcript = await converse(parseTarget(`${server().url}/ws?${HANDSHAKE_PARAM}`));
    expect(transcript.status).toBe(101);
    const first = transcript.frames[0]!;
    expect(first.from).toBe("server");
    expect(first.frame.opcode).toBe(OPCODES.text);
    const frame = JSON.parse(first.frame.payload.toString()) as HandshakeFrame;
    expect(frame.request).toEqual(lines(transcript.request));
    expect(frame.response).toEqual(lines(transcript.response));
    expect(frame.response[0]).toBe("HTTP/1.1 101 Switching Protocols");

    const second = JSON.parse(transcript.frames[1]!.frame.payload.toString()) as ServerFrame;
    expect(second).toEqual({ epoch: expect.any(String) });
  });

  it("sends nothing extra to a socket that does not ask", async () => {
    const client = await SocketClient.open(server().url);
    try {
      const first = await client.waitForFrame(() => true);
      expect(first).toEqual({ epoch: expect.any(String) });
      expect(client.frames.some((frame) => "request" in frame)).toBe(false);
    } finally {
      await client.close();
    }
  });
});
