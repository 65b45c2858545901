import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { textFrame } from "../../../server/node/text-frame.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("textFrame", () => {
  it("header: FIN + text opcode, unmasked, the length in 1, 3 or 9 bytes; then the payload", () => {
    const payload = Buffer.from("héllo");
    expect([...textFrame(payload)]).toEqual([0x81, payload.length, ...payload]);
    expect([...textFrame(Buffer.alloc(126)).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
    expect([...textFrame(Buffer.alloc(65_536)).subarray(0, 10)]).toEqual([0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(textFrame(Buffer.alloc(65_536)).length).toBe(65_546);
  });

  it("a real `ws` client reads frames written straight to the TCP connection, at every length boundary", async () => {
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 70_000];
    const wss = new WebSocketServer({ noServer: true });
    const server = createServer();
    servers.push(server);
    server.on("upgrade", (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, () => {
        for (const n of lengths) socket.write(textFrame(Buffer.from("é".repeat(n >> 1) + "x".repeat(n & 1))));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const received: { text: string; binary: boolean }[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on("message", (data, binary) => {
        received.push({ text: data.toString(), binary });
        if (received.length === lengths.length) resolve();
      });
      client.on("error", reject);
    });
    client.close();
    expect(received.map((r) => Buffer.byteLength(r.text))).toEqual(lengths);
    expect(received.every((r) => !r.binary)).toBe(true);
    expect(received[3]!.text).toBe("é".repeat(63));
  });
});
