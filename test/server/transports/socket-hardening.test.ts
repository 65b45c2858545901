import { connect as tcpConnect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { HEARTBEAT_INTERVAL_MS, SLOW_CONSUMER_BYTES } from "../../../server/limits/waiting-limits.ts";
import { CLOSE_TRY_AGAIN_LATER } from "../../../server/transports/socket-hub.ts";
import type { ServerFrame } from "../../../shared/protocol.ts";
import { getMessages, useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

/** A raw TCP connection that has done the /ws handshake by hand, so a test can send bytes no client library would. */
async function rawUpgrade(port: number): Promise<{ socket: Socket; ended: Promise<void> }> {
  const socket = tcpConnect(port, "127.0.0.1");
  const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {}); // a reset by the server is an acceptable end
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  let head = "";
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (head.includes("\r\n\r\n")) {
        socket.off("data", onData);
        resolve();
      }
    };
    socket.on("data", onData);
  });
  expect(head).toMatch(/^HTTP\/1.1 101/);
  socket.resume();
  return { socket, ended };
}

const MASK = [1, 2, 3, 4];
const GARBAGE: Record<string, Buffer> = {
  "a reserved opcode (0x3)": Buffer.from([0x83, 0x80, ...MASK]),
  "an unmasked client frame": Buffer.from([0x81, 0x02, 0x68, 0x69]),
  "RSV bits without an extension": Buffer.from([0xf1, 0x80, ...MASK]),
  "a fragmented control frame": Buffer.from([0x09, 0x80, ...MASK]),
  "a continuation with nothing to continue": Buffer.from([0x80, 0x80, ...MASK]),
  "invalid UTF-8 in a text frame": Buffer.from([0x81, 0x82, ...MASK, 0xff ^ 1, 0xfe ^ 2]),
  "a 64-bit length of 2^63": Buffer.from([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, ...MASK]),
  "random bytes": Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 255)),
};

describe("/ws against broken and hostile clients", () => {
  const server = useServer({ heartbeatInterval: 200 });

  for (const [what, bytes] of Object.entries(GARBAGE)) {
    it(`${what} after the handshake: the connection is closed, the server carries on`, async () => {
      const { socket, ended } = await rawUpgrade(server().port);
      socket.write(bytes);
      await ended;
      expect((await getMessages(server().url)).length).toBeGreaterThan(0);
      const client = await SocketClient.open(server().url);
      await client.waitForFrame((frame) => "epoch" in frame);
      await client.close();
    });
  }

  it(`a client that stops reading is closed with 1013 once SLOW_CONSUMER_BYTES (${SLOW_CONSUMER_BYTES}) are buffered, and memory stays bounded`, async () => {
    const running = server();
    const slow = await SocketClient.open(running.url);
    await slow.waitForFrame((frame) => "epoch" in frame);
    const onServer = await waitFor(() => [...running.hub.sockets][0], { what: "the server side of the socket" });
    (slow.socket as unknown as { _socket: Socket })._socket.pause(); // reads nothing more: the kernel buffers fill up

    const text = "x".repeat(400);
    const heapBefore = process.memoryUsage().heapUsed;
    let posted = 0;
    // Bounded by count: loopback buffers hold a few MB, so the limit is reached long before 200 000 messages.
    while (running.hub.sockets.has(onServer) && posted < 200_000) {
      await running.chat.post({ user: "flood", text });
      posted++;
    }
    expect(running.hub.sockets.has(onServer)).toBe(false);
    const frame = Buffer.byteLength(JSON.stringify({ id: posted, user: "flood", text, sentAt: Date.now() }));
    expect(onServer.raw!.bufferedAmount).toBeLessThanOrEqual(SLOW_CONSUMER_BYTES + 2 * frame);

    // Once dropped, nothing more is queued for it, however much more is said.
    const buffered = onServer.raw!.bufferedAmount;
    for (let i = 0; i < 5000; i++) await running.chat.post({ user: "flood", text });
    expect(onServer.raw!.bufferedAmount).toBeLessThanOrEqual(buffered + 64); // + the close frame
    global.gc?.();
    // History is bounded (HISTORY_LIMIT) and the stalled socket's queue too: the heap does not track the flood.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);

    // When it reads again, it gets what was queued and then the 1013.
    (slow.socket as unknown as { _socket: Socket })._socket.resume();
    const closed = await slow.waitForClose({ timeoutMs: 20_000 });
    expect(closed.code).toBe(CLOSE_TRY_AGAIN_LATER);
    expect(closed.reason).toContain("too slow");
  });

  it(`heartbeat (HEARTBEAT_INTERVAL_MS = ${HEARTBEAT_INTERVAL_MS}, 200 ms here): a peer that answers no ping is terminated; one that does stays and sees heartbeat frames`, async () => {
    const url = `${server().url.replace(/^http/, "ws")}/ws`;
    const deaf = new WebSocket(url, { autoPong: false });
    const alive = new WebSocket(url);
    const heartbeats: ServerFrame[] = [];
    alive.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if ("heartbeat" in frame) heartbeats.push(frame);
    });
    const deafClosed = new Promise<number>((resolve) => deaf.once("close", (code) => resolve(code)));
    await Promise.all([deaf, alive].map((ws) => new Promise((resolve) => ws.once("open", resolve))));

    expect(await deafClosed).toBe(1006); // terminated: no close frame, the TCP connection is simply cut
    await waitFor(() => heartbeats.length >= 4, { what: "four heartbeat frames" });
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});
