import { randomBytes } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DelayProxy } from "../../../bench/environment/delay-proxy.ts";

let echo: Server;
let echoPort: number;
const proxies: DelayProxy[] = [];

beforeAll(async () => {
  echo = createServer({ allowHalfOpen: true }, (socket) => {
    socket.pipe(socket); // echoes every byte back, and ends when the client ends
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await new Promise((resolve) => echo.close(resolve));
});

async function proxy(options: Omit<Parameters<typeof DelayProxy.start>[0], "target">): Promise<DelayProxy> {
  const started = await DelayProxy.start({ target: { port: echoPort }, ...options });
  proxies.push(started);
  return started;
}

async function open(port: number): Promise<Socket> {
  const socket = connect({ port, host: "127.0.0.1", noDelay: true });
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/** Writes `bytes` and resolves with the time (ms) until as many bytes came back, and the bytes. */
function roundTrip(socket: Socket, bytes: Buffer): Promise<{ ms: number; back: Buffer }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const start = performance.now();
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < bytes.length) return;
      socket.off("data", onData);
      resolve({ ms: performance.now() - start, back: Buffer.concat(chunks) });
    };
    socket.on("data", onData);
    socket.write(bytes);
  });
}

// Timers never fire early, so the added delay is a floor. The ceiling only has to tell one delay from two (a proxy
// that delayed twice, or each chunk in turn), so it leaves a busy shared machine most of a delay's worth of slack.
const within = (expected: number) => expected * 1.9;
/** A delay as a lower bound: Node's timers keep whole milliseconds, so one can fire up to ~1.5 ms early by performance.now() (78.8 ms measured for 80). */
const TIMER_EARLY = (expected: number) => expected - 1.5;

describe("DelayProxy on a loopback echo", () => {
  it("adds the one-way delays of both directions to a round trip", async () => {
    const { port } = await proxy({ up: { delayMs: 15 }, down: { delayMs: 25 }, handshake: false });
    const socket = await open(port);
    await roundTrip(socket, Buffer.from("warm")); // the upstream connection is made
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await roundTrip(socket, Buffer.from(`ping ${i}`))).ms);
    socket.destroy();
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(TIMER_EARLY(40));
      expect(ms).toBeLessThan(within(40));
    }
  });

  it("makes a new connection's first bytes wait one more RTT, like a TCP handshake", async () => {
    const { port } = await proxy({ up: { delayMs: 20 }, down: { delayMs: 20 } });
    const socket = await open(port); // accepted at once, on loopback
    const first = await roundTrip(socket, Buffer.from("hello"));
    const second = await roundTrip(socket, Buffer.from("again"));
    socket.destroy();
    expect(first.ms).toBeGreaterThanOrEqual(TIMER_EARLY(80));
    expect(first.ms).toBeLessThan(within(80));
    expect(second.ms).toBeGreaterThanOrEqual(TIMER_EARLY(40));
    expect(second.ms).toBeLessThan(within(40));
  });

  it("passes bytes unchanged, in order, both ways (2 MB of random bytes)", async () => {
    const { port } = await proxy({ up: { delayMs: 5 }, down: { delayMs: 5 } });
    const socket = await open(port);
    const bytes = randomBytes(2 * 1024 * 1024);
    const { back } = await roundTrip(socket, bytes);
    socket.destroy();
    expect(back.equals(bytes)).toBe(true);
  });

  it("caps the bandwidth of a direction: 200 kB at 1 MB/s take 200 ms more than the delay", async () => {
    const { port } = await proxy({
      up: { delayMs: 10, bytesPerSecond: 1_000_000 },
      down: { delayMs: 10 },
      handshake: false,
    });
    const socket = await open(port);
    await roundTrip(socket, Buffer.from("warm"));
    const bytes = randomBytes(200_000);
    const { ms, back } = await roundTrip(socket, bytes);
    socket.destroy();
    expect(back.equals(bytes)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(219);
    expect(ms).toBeLessThan(within(220));
  });

  it("carries the end of a stream behind its data (a half-close reaches the server)", async () => {
    const { port } = await proxy({ up: { delayMs: 10 }, down: { delayMs: 10 } });
    const socket = await open(port);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => socket.once("end", resolve));
    socket.end("last words");
    await ended; // the echo server ended only after it read our end, so it went through the proxy in order
    expect(Buffer.concat(received).toString()).toBe("last words");
  });
});
