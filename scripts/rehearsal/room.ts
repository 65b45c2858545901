import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright";
import { launchChromium } from "../../bench/clients/browser.ts";

const MAIN = fileURLToPath(new URL("../../server/node/node-main.ts", import.meta.url));
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
/** How long a start may take on a busy 2-core machine (tsx, then the first bundle). */
const START_TIMEOUT_MS = 30_000;

/** A student's machine, played on this one: another loopback address than the server's own browser's. */
export const STUDENT_ADDRESS = "127.0.0.2";

/** `npm start` as the teacher runs it: a child process on 127.0.0.1, its data kept in `dataDir` across restarts. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  httpsPort?: number;
  /** The teacher URL's token, as printed. */
  token: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, port: number, https = false): Promise<ServerProcess> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--data", dataDir];
  if (https) args.push("--https", "--https-port", "0");
  const child = spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
    env: { ...process.env, REDIS_URL: "", DATA_DIR: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in time:\n${text}`)), START_TIMEOUT_MS);
    const check = () => {
      if (!text.includes("Ctrl+C stops the server")) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on("data", check);
    exited.then(() => reject(new Error(`npm start exited before listening:\n${text}`)));
  });
  const httpsPort = /https:\/\/localhost:(\d+)\//.exec(text)?.[1];
  return {
    child,
    port: Number(/http:\/\/localhost:(\d+)\//.exec(text)![1]),
    httpsPort: httpsPort ? Number(httpsPort) : undefined,
    token: /\?teacher=([0-9a-f]+)/.exec(text)![1]!,
    output: () => text,
    /** Ctrl+C: the graceful stop a teacher's terminal sends. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

/**
 * A browser cannot pick its source address: a TCP relay on 127.0.0.1 whose connections reach the server from
 * 127.0.0.2, so the server takes a page opened through it for another machine's. Plain TCP: TLS passes through.
 * It outlives the server's restarts (it connects anew for each connection), as a room's network does.
 */
export async function studentRelay(
  target: () => number,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const open = new Set<Socket>();
  const relay = createServer((inbound) => {
    const outbound = connect({ host: "127.0.0.1", port: target(), localAddress: STUDENT_ADDRESS });
    for (const [socket, other] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      open.add(socket);
      socket.on("error", () => other.destroy());
      socket.on("close", () => {
        open.delete(socket);
        other.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const port = (relay.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}

/** One person's screen in the room. */
export interface Screen {
  name: string;
  page: Page;
  context: BrowserContext;
  language: "en" | "tr";
  /** A page with panes (the class view has none). */
  panes: boolean;
}

export async function openScreen(
  browser: Browser,
  name: string,
  url: string,
  options: { language: "en" | "tr"; viewport: { width: number; height: number }; panes?: boolean },
): Promise<Screen> {
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: options.language === "tr" ? "tr-TR" : "en-US",
    ignoreHTTPSErrors: true, // step 10's self-signed certificate, accepted as the walkthrough says
  });
  const page = await context.newPage();
  // The language switch's choice, made before the page reads it (clients/page/i18n.ts).
  await context.addInitScript((language) => localStorage.setItem("language", language), options.language);
  page.on("dialog", (dialog) => dialog.accept()); // "Start a new chat?"
  await page.goto(url);
  return { name, page, context, language: options.language, panes: options.panes ?? true };
}

export { launchChromium };
