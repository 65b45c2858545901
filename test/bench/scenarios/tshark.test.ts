import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
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
 * bytes are added up per port. It is live before the server under test exists, so no early packet can slip past a
 * filter still being set up; and it is stopped only once the server's port has been quiet for a while, so no late
 * packet is cut off while still in the capture's buffers. Bounded: tshark stops itself after 60 s.
 */
class LoopbackCapture {
  private readonly toPort = new Map<number, number>();
  private readonly fromPort = new Map<number, number>();
  private readonly lastSeen = new Map<number, number>();
  private constructor(private readonly tshark: ChildProcess) {
    let pending = "";
    tshark.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        const [src, dst, len] = line.split("\t").map(Number);
        if (!src || !dst || Number.isNaN(len)) continue;
        this.toPort.set(dst, (this.toPort.get(dst) ?? 0) + len!);
        this.fromPort.set(src, (this.fromPort.get(src) ?? 0) + len!);
        this.lastSeen.set(src, Date.now()).set(dst, Date.now());
      }
    });
  }

  static async start(): Promise<LoopbackCapture> {
    const fields = ["-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len"];
    const tshark = spawn("tshark", ["-i", "lo", "-f", "tcp", "-B", "64", "-l", ...fields, "-a", "duration:60"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      let stderr = "";
      tshark.stderr!.on("data", (chunk) => {
        stderr += chunk;
        // dumpcap says so a moment before its filter is live: give it that moment.
        if (stderr.includes("Capturing on")) setTimeout(resolve, 1000);
      });
      tshark.once("exit", (code) => reject(new Error(`tshark exited (${code}): ${stderr}`)));
    });
    return new LoopbackCapture(tshark);
  }

  /** Waits until no packet to or from `port` has been seen for `quietMs` (at most `maxMs`). */
  async settle(port: number, quietMs = 1000, maxMs = 15_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() - (this.lastSeen.get(port) ?? 0) < quietMs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** TCP payload bytes by direction relative to the server's port. */
  payloadBytes(port: number) {
    return { toServer: this.toPort.get(port) ?? 0, fromServer: this.fromPort.get(port) ?? 0 };
  }

  async stop(): Promise<void> {
    if (this.tshark.exitCode !== null) return;
    const exited = new Promise((resolve) => this.tshark.once("exit", resolve));
    this.tshark.kill("SIGINT");
    await exited;
  }
}

describe.skipIf(!hasTshark)("bench byte counts against a loopback capture (tshark)", () => {
  it("agree within 1 % in each direction, polling and WebSocket together", async () => {
    const capture = await LoopbackCapture.start();
    let port = 0;
    try {
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
      await capture.settle(port);
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
    } finally {
      await capture.stop();
    }
  });

  it("agree within 1 % over TLS: HTTP/2 polling (bench --http2), TLS records counted at the raw TCP socket", async () => {
    const capture = await LoopbackCapture.start();
    const ports: number[] = [];
    try {
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
      for (const port of ports) await capture.settle(port);
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
    } finally {
      await capture.stop();
    }
  });
});
