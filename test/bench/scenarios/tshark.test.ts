import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { run } from "../../../bench/scenarios/run.ts";
import { hasTshark } from "../../support/tshark.ts";

if (!hasTshark)
  console.warn(
    "skipped: tshark is not installed (apt-get install -y tshark) — bench byte counts not checked against a capture",
  );

/**
 * A live capture of all loopback TCP: tshark prints each packet's ports and payload length as it sees it, and the
 * bytes are added up per port. Packets reach it in the order they were sent, so a marker (bytes sent to a port of our
 * own) shows where it is: once it has counted a marker, it has counted every packet sent before it. One marker says
 * its filter is live (before the server under test exists, so no early packet can slip past it), another, sent after
 * the server has closed, that no late packet is still in its buffers. Bounded: tshark stops itself after 240 s.
 */
class LoopbackCapture {
  private readonly toPort = new Map<number, number>();
  private readonly fromPort = new Map<number, number>();
  private readonly counted = new EventEmitter();
  private constructor(
    private readonly tshark: ChildProcess,
    private readonly marker: { server: Server; socket: Socket; port: number },
  ) {
    let pending = "";
    tshark.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [src, dst, len] = line.split("\t").map(Number);
        if (!src || !dst || Number.isNaN(len)) continue;
        this.toPort.set(dst, (this.toPort.get(dst) ?? 0) + len!);
        this.fromPort.set(src, (this.fromPort.get(src) ?? 0) + len!);
      }
      this.counted.emit("bytes");
    });
  }

  static async start(): Promise<LoopbackCapture> {
    const fields = ["-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len"];
    const tshark = spawn("tshark", ["-i", "lo", "-f", "tcp", "-B", "64", "-l", ...fields, "-a", "duration:240"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    tshark.stderr!.on("data", (chunk) => (stderr += chunk));
    const failed = new Promise<never>((_resolve, reject) =>
      tshark.once("exit", (code) => reject(new Error(`tshark exited (${code}): ${stderr}`))),
    );
    failed.catch(() => {}); // read by the race below; after start, stop() ends it on purpose
    const server = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const socket = createConnection(port, "127.0.0.1");
    await once(socket, "connect");
    const capture = new LoopbackCapture(tshark, { server, socket, port });
    // Until its filter is live, markers go by unseen: one every 100 ms until one is counted.
    const repeat = setInterval(() => socket.write("."), 100);
    try {
      await Promise.race([capture.counts((bytes) => bytes.toServer > 0, port), failed]);
    } finally {
      clearInterval(repeat);
    }
    return capture;
  }

  /** Resolves once every packet sent before this call is counted: a marker sent now has been. */
  async flush(): Promise<void> {
    const before = this.payloadBytes(this.marker.port).toServer;
    this.marker.socket.write("flush");
    await this.counts((bytes) => bytes.toServer >= before + "flush".length, this.marker.port);
  }

  private async counts(done: (bytes: { toServer: number }) => boolean, port: number): Promise<void> {
    while (!done(this.payloadBytes(port))) await once(this.counted, "bytes");
  }

  /** TCP payload bytes by direction relative to the server's port. */
  payloadBytes(port: number) {
    return { toServer: this.toPort.get(port) ?? 0, fromServer: this.fromPort.get(port) ?? 0 };
  }

  async stop(): Promise<void> {
    this.marker.socket.destroy();
    this.marker.server.close();
    if (this.tshark.exitCode !== null) return;
    const exited = new Promise((resolve) => this.tshark.once("exit", resolve));
    this.tshark.kill("SIGINT");
    await exited;
  }
}

describe.skipIf(!hasTshark)("bench byte counts against a loopback capture (tshark)", () => {
  // One capture for both runs: each counts only its own server's ports.
  let capture: LoopbackCapture;
  beforeAll(async () => {
    capture = await LoopbackCapture.start();
  });
  afterAll(() => capture?.stop());

  it("agree within 1 % in each direction, polling and WebSocket together", async () => {
    let port = 0;
    const record = await run({
      groups: [
        { mode: BENCH_MODES.polling, clients: 3 },
        { mode: BENCH_MODES.socket, clients: 3 },
      ],
      interval: 200,
      duration: 1000,
      rate: 5,
      arrivals: "steady",
      idle: 400,
      onServer: async (url) => {
        port = Number(new URL(url).port);
      },
    });
    expect(summarize(record).failed).toBe(false);
    await capture.flush(); // the server has closed: every byte it read or wrote was sent before this marker
    // Everything the server's sockets read and wrote from start to close, which is all the capture saw.
    const counted = record.closed!;
    const captured = capture.payloadBytes(port);
    console.log(
      `tshark: to server ${captured.toServer} B captured, ${counted.bytesRead} counted; ` +
        `from server ${captured.fromServer} B captured, ${counted.bytesWritten} counted`,
    );
    expect(captured.toServer).toBeGreaterThan(1000);
    expect(Math.abs(counted.bytesRead - captured.toServer) / captured.toServer).toBeLessThanOrEqual(0.01);
    expect(Math.abs(counted.bytesWritten - captured.fromServer) / captured.fromServer).toBeLessThanOrEqual(0.01);
  });

  it("agree within 1 % over TLS: HTTP/2 polling (bench --http2), TLS records counted at the raw TCP socket", async () => {
    const ports: number[] = [];
    const record = await run({
      groups: [{ mode: BENCH_MODES.polling, clients: 3 }],
      tls: "h2",
      interval: 200,
      duration: 1000,
      rate: 5,
      arrivals: "steady",
      idle: 400,
      onServer: async (url, secureUrl) => {
        ports.push(Number(new URL(url).port), Number(new URL(secureUrl!).port));
      },
    });
    const summary = summarize(record);
    expect(summary.failed).toBe(false);
    expect(summary.tls!.protocols.h2).toBeGreaterThanOrEqual(4); // the probe's connection and one per client
    await capture.flush();
    // The server counts both its ports (the publisher posts on the plain one); the capture sees both.
    const [plain, secure] = ports.map((port) => capture.payloadBytes(port));
    const counted = record.closed!;
    const captured = {
      toServer: plain!.toServer + secure!.toServer,
      fromServer: plain!.fromServer + secure!.fromServer,
    };
    console.log(
      `tshark (h2): to server ${captured.toServer} B captured (TLS port ${secure!.toServer}), ${counted.bytesRead} counted; ` +
        `from server ${captured.fromServer} B captured (TLS port ${secure!.fromServer}), ${counted.bytesWritten} counted`,
    );
    expect(secure!.toServer).toBeGreaterThan(1000);
    expect(Math.abs(counted.bytesRead - captured.toServer) / captured.toServer).toBeLessThanOrEqual(0.01);
    expect(Math.abs(counted.bytesWritten - captured.fromServer) / captured.fromServer).toBeLessThanOrEqual(0.01);
  });
});
