import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarize } from "../../bench/aggregate.ts";
import { BENCH_MODES } from "../../bench/modes.ts";
import { run } from "../../bench/run.ts";

const hasTshark = (() => {
  try {
    execFileSync("tshark", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTshark) console.warn("skipped: tshark is not installed (apt-get install -y tshark) — bench byte counts not checked against a capture");

const dir = mkdtempSync(join(tmpdir(), "bench-capture-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Starts capturing all loopback TCP into a file (bounded: it stops itself after 60 s). It is live before the server
 * under test exists, so no early packet can slip past a filter still being set up; the server's port is picked out
 * when the file is read.
 */
async function capture(file: string): Promise<ChildProcess> {
  const tshark = spawn("tshark", ["-i", "lo", "-f", "tcp", "-B", "64", "-w", file, "-a", "duration:60"], { stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let stderr = "";
    tshark.stderr!.on("data", (chunk) => {
      stderr += chunk;
      // dumpcap says so a moment before its filter is live: give it that moment.
      if (stderr.includes("Capturing on")) setTimeout(resolve, 1000);
    });
    tshark.once("exit", (code) => reject(new Error(`tshark exited (${code}): ${stderr}`)));
  });
  return tshark;
}

/** TCP payload bytes in the capture, by direction relative to the server's port. */
function payloadBytes(file: string, port: number) {
  const out = execFileSync("tshark", ["-r", file, "-T", "fields", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  let toServer = 0;
  let fromServer = 0;
  for (const line of out.trim().split("\n")) {
    const [src, dst, len] = line.split("\t").map(Number);
    if (dst === port) toServer += len!;
    else if (src === port) fromServer += len!;
  }
  return { toServer, fromServer };
}

describe.skipIf(!hasTshark)("bench byte counts against a loopback capture (tshark)", () => {
  it("agree within 1 % in each direction, polling and WebSocket together", async () => {
    const file = join(dir, "bench.pcapng");
    let tshark: ChildProcess | undefined;
    let port = 0;
    try {
      tshark = await capture(file);
      const record = await run({
        groups: [
          { mode: BENCH_MODES.polling!, clients: 3 },
          { mode: BENCH_MODES.websocket!, clients: 3 },
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
      const exited = new Promise((resolve) => tshark!.once("exit", resolve));
      tshark!.kill("SIGINT");
      await exited;
      // Everything the server's sockets read and wrote from start to close, which is all the capture saw.
      const counted = record.closed!;
      const captured = payloadBytes(file, port);
      console.log(`tshark: to server ${captured.toServer} B captured, ${counted.bytesRead} counted; ` +
        `from server ${captured.fromServer} B captured, ${counted.bytesWritten} counted`);
      expect(captured.toServer).toBeGreaterThan(1000);
      expect(Math.abs(counted.bytesRead - captured.toServer) / captured.toServer).toBeLessThanOrEqual(0.01);
      expect(Math.abs(counted.bytesWritten - captured.fromServer) / captured.fromServer).toBeLessThanOrEqual(0.01);
    } finally {
      tshark?.kill("SIGKILL");
    }
  });
});
