import { spawn, type ChildProcess } from "node:child_process";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { startServer } from "../../server/node/node-server.ts";
import { PATHS, type PaneTotalsBody } from "../../shared/protocol.ts";
import { useBrowser } from "../support/browser.ts";
import { waitFor } from "../support/wait.ts";
import { hasTshark } from "../support/tshark.ts";

// The acceptance test of the panes' counters: one tab per transport, idle for 10 s, then with the bot on for 10 s;
// each pane's bytes must agree within 1 % with /stats and with a tshark capture of that tab's exchanges.

if (!hasTshark)
  console.warn("tshark part skipped: tshark is not installed (apt-get install -y tshark); the /stats part runs");

const TABS = ["/polling", "/conditional", "/longpoll", "/sse", "/socket"] as const;
const IDLE_MS = 10_000;
const BOT_MS = 10_000;
const BOT_RATE = 5;
const TOLERANCE = 0.01;

/** One HTTP exchange (or a WebSocket/SSE connection from its request on) as the capture saw it. */
interface Exchange {
  port: number;
  target: string;
  at: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * A tshark capture of the server's port on loopback, split into exchanges independently of the server: on each TCP
 * connection, a client segment that starts with an HTTP method starts an exchange (its request line names the
 * target, and so the pane's `?p=`); every payload byte after it, either way, is that exchange's until the next one.
 */
class ExchangeCapture {
  private readonly current = new Map<number, Exchange>();
  readonly exchanges: Exchange[] = [];
  private pending = "";
  private constructor(
    private readonly tshark: ChildProcess,
    private readonly serverPort: number,
  ) {
    tshark.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      // Whole lines only: a packet's line may come in two chunks.
      const lines = (this.pending + chunk).split("\n");
      this.pending = lines.pop()!;
      for (const line of lines) this.packet(line);
    });
  }

  static async start(serverPort: number): Promise<ExchangeCapture> {
    const fields = [
      "-T",
      "fields",
      "-e",
      "tcp.srcport",
      "-e",
      "tcp.dstport",
      "-e",
      "tcp.len",
      "-e",
      "tcp.payload",
      "-e",
      "frame.time_epoch",
    ];
    const tshark = spawn(
      "tshark",
      ["-i", "lo", "-f", `tcp port ${serverPort}`, "-B", "64", "-l", ...fields, "-a", "duration:90"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      let stderr = "";
      tshark.stderr!.on("data", (chunk) => {
        stderr += chunk;
        if (stderr.includes("Capturing on")) setTimeout(resolve, 1000); // dumpcap's filter is live a moment later
      });
      tshark.once("exit", (code) => reject(new Error(`tshark exited (${code}): ${stderr}`)));
    });
    return new ExchangeCapture(tshark, serverPort);
  }

  private packet(line: string): void {
    const [src, dst, len, payload, time] = line.split("\t");
    const length = Number(len);
    if (!length) return;
    const toServer = Number(dst) === this.serverPort;
    const port = toServer ? Number(src) : Number(dst);
    if (toServer) {
      const start = Buffer.from(payload!.slice(0, 2048), "hex").toString("latin1");
      const requestLine = /^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) (\S+) HTTP\/1\.1\r\n/.exec(start);
      if (requestLine) {
        const exchange = { port, target: requestLine[2]!, at: Number(time), bytesIn: 0, bytesOut: 0 };
        this.current.set(port, exchange);
        this.exchanges.push(exchange);
      }
    }
    const exchange = this.current.get(port);
    if (!exchange) return;
    if (toServer) exchange.bytesIn += length;
    else exchange.bytesOut += length;
  }

  /** The first `requests` exchanges of pane `id` (its requests in the order they went out), summed. */
  pane(id: string, requests: number) {
    const mine = this.exchanges.filter((e) => e.target.includes(`p=${id}.`)).sort((a, b) => a.at - b.at);
    const counted = mine.slice(0, requests);
    return {
      exchanges: mine.length,
      ports: [...new Set(counted.map((e) => e.port))],
      bytesIn: counted.reduce((sum, e) => sum + e.bytesIn, 0),
      bytesOut: counted.reduce((sum, e) => sum + e.bytesOut, 0),
    };
  }

  async stop(): Promise<void> {
    if (this.tshark.exitCode !== null) return;
    const exited = new Promise((resolve) => this.tshark.once("exit", resolve));
    this.tshark.kill("SIGINT");
    await exited;
  }
}

/** What a pane shows (exact, from its data attributes), history and running figures added back together. */
async function paneFigures(page: Page) {
  return page.evaluate(() => {
    const pane = document.querySelector<HTMLElement>(".pane")!;
    const counter = (name: string) => pane.querySelector<HTMLElement>(`[data-counter="${name}"]`)!;
    const value = (name: string) => Number(counter(name).dataset.value ?? NaN);
    const history = pane.querySelector<HTMLElement>(".history")!.dataset;
    return {
      id: pane.dataset.paneId!,
      mode: pane.dataset.mode!,
      shownSent: counter("sent").textContent,
      running: { requests: value("requests"), bytesIn: value("sent"), bytesOut: value("received") },
      requests: value("requests") + Number(history.requests),
      bytesIn: value("sent") + Number(history.bytesIn),
      bytesOut: value("received") + Number(history.bytesOut),
    };
  });
}

const within = (measured: number, reference: number) => Math.abs(measured - reference) / reference;

const openPage = useBrowser();

describe("each pane's counters are the bytes on the wire", () => {
  it("agree within 1 % with /stats and a tshark capture, idle then with the bot on, for every transport", async () => {
    const server = await startServer({
      port: 0,
      hostname: "127.0.0.1",
      heartbeatInterval: 120_000,
      sse: { keepAliveMs: 120_000 },
    });
    const capture = hasTshark ? await ExchangeCapture.start(server.port) : undefined;
    try {
      const pages = await Promise.all(TABS.map((path) => openPage(`${server.url}${path}`)));
      // Ready: each pane has its first reading, the history, shown apart.
      await Promise.all(pages.map((page) => page.waitForSelector(".pane .history:not([hidden])", { timeout: 60_000 })));
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      const bot = (rate: number) =>
        fetch(`${server.url}/bot`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ rate }),
        });
      await bot(BOT_RATE);
      await new Promise((resolve) => setTimeout(resolve, BOT_MS));
      await bot(0);
      // The bot's last message has reached every pane, and each pane has read its totals again since.
      await new Promise((resolve) => setTimeout(resolve, 2500));

      const report: string[] = [];
      const readings: { figures: Awaited<ReturnType<typeof paneFigures>>; line: string }[] = [];
      for (const page of pages) {
        // A reading and /stats at the same request count saw the same exchanges (a polling tab keeps polling).
        const { figures, stats } = await waitFor(
          async () => {
            const figures = await paneFigures(page);
            const body = (await (await fetch(`${server.url}/stats`)).json()) as {
              transports: Record<string, PaneTotalsBody>;
            };
            const stats = body.transports[figures.mode]!;
            return stats.requests === figures.requests ? { figures, stats } : undefined;
          },
          { what: "a pane reading and /stats at the same request count", timeoutMs: 8000, intervalMs: 100 },
        );
        // After the history, every pane received the bot's messages; the ones that ask kept sending requests too.
        expect(figures.running.bytesOut, `${figures.mode}: bytes received after the history`).toBeGreaterThan(0);
        if (["polling", "conditional", "longpoll"].includes(figures.mode)) {
          expect(figures.running.bytesIn, `${figures.mode}: bytes sent after the history`).toBeGreaterThan(0);
        }
        if (figures.mode === "polling") expect(figures.shownSent).not.toBe("0 B");
        expect(within(figures.bytesIn, stats.bytesIn), `${figures.mode} sent vs /stats`).toBeLessThanOrEqual(TOLERANCE);
        expect(within(figures.bytesOut, stats.bytesOut), `${figures.mode} received vs /stats`).toBeLessThanOrEqual(
          TOLERANCE,
        );
        const line =
          `${figures.mode.padEnd(12)} pane ${figures.bytesIn} B sent / ${figures.bytesOut} B received ` +
          `(${figures.requests} requests); ` +
          `/stats ${stats.bytesIn} / ${stats.bytesOut}`;
        readings.push({ figures, line });
      }
      // tshark prints a moment after the packets pass: stopped, it prints all it has, the readings' exchanges included.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await capture?.stop();
      for (const { figures, line: statsLine } of readings) {
        let line = statsLine;
        if (capture) {
          const captured = capture.pane(figures.id, figures.requests);
          const reported = (await (
            await fetch(`${server.url}${PATHS.paneStats}/${figures.id}`)
          ).json()) as PaneTotalsBody;
          for (const port of captured.ports) expect(reported.ports, `${figures.mode}: port ${port}`).toContain(port);
          expect(within(figures.bytesIn, captured.bytesIn), `${figures.mode} sent vs tshark`).toBeLessThanOrEqual(
            TOLERANCE,
          );
          expect(within(figures.bytesOut, captured.bytesOut), `${figures.mode} received vs tshark`).toBeLessThanOrEqual(
            TOLERANCE,
          );
          line += `; tshark ${captured.bytesIn} / ${captured.bytesOut} (${captured.ports.length} connections)`;
        }
        report.push(line);
      }
      console.log(report.join("\n"));
    } finally {
      await capture?.stop();
      await server.close();
    }
  }, 180_000);
});
