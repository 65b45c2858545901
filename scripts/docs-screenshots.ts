/**
 * `npm run docs:screenshots`: pictures of the real pages for docs/, taken in Chromium from a server started for
 * the run (free port, in-memory chat), so the docs never show a UI that no longer exists.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright";
import { launchChromium } from "../bench/browser.ts";
import { startServer } from "../server/node/node-server.ts";

const IMAGES = fileURLToPath(new URL("../docs/images/", import.meta.url));
const VIEWPORT = { width: 1400, height: 860 };
/** Presenter mode is for a projector: a full-HD-like screen. */
const PROJECTOR = { width: 1600, height: 900 };
/** How long the panes run before a picture, so counters and latencies have something to show. */
const SETTLE_MS = 3500;

const server = await startServer({ port: 0, hostname: "127.0.0.1" });
const browser = await launchChromium();
const written: string[] = [];

async function page(path: string, language = "en", viewport = VIEWPORT): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: language === "tr" ? "tr-TR" : "en-US" });
  await context.addInitScript(
    ([lang]) => {
      localStorage.setItem("user", "teacher");
      localStorage.setItem("language", lang!);
    },
    [language],
  );
  const opened = await context.newPage();
  await opened.goto(`${server.url}${path}`);
  await opened.locator("main .pane").first().waitFor();
  return opened;
}

async function save(target: Page | ReturnType<Page["locator"]>, name: string) {
  await target.screenshot({ path: `${IMAGES}${name}` });
  written.push(`docs/images/${name}`);
}

try {
  await mkdir(IMAGES, { recursive: true });
  for (const text of ["hello chat!", "is this live?", "polling asks, the socket is told"]) {
    await server.chat.post({ user: "student", text });
  }
  server.bot.setRate(2);

  // Both panes, the lesson's pair, with the bot talking.
  const both = await page("/");
  await both.waitForTimeout(SETTLE_MS);
  await save(both, "panes.png");

  // The handshake panel, opened as a person would.
  await both.locator("#handshake summary").click();
  await both.locator("#handshake .verdict").waitFor();
  await both.addStyleTag({ content: "#handshake { max-height: none; }" }); // the whole panel, not its scrolled window
  await save(both.locator("#handshake"), "handshake-panel.png");
  await both.context().close();

  // Presenter mode on the "counting the cost" step, in English and in Turkish.
  for (const [language, name] of [["en", "presenter.png"], ["tr", "presenter.tr.png"]] as const) {
    const presenting = await page("/?present=3", language, PROJECTOR);
    server.bot.setRate(2); // the step stops the bot; the picture wants traffic
    await presenting.waitForTimeout(SETTLE_MS);
    await save(presenting, name);
    await presenting.context().close();
  }

  // The middle ground: long polling beside Server-Sent Events.
  const middle = await page("/?left=longpoll&right=sse");
  await middle.waitForTimeout(SETTLE_MS);
  await save(middle, "longpoll-sse.png");
  await middle.context().close();

  console.log(`Wrote ${written.length} screenshots:\n${written.map((path) => `  ${path}`).join("\n")}`);
} finally {
  server.bot.stop();
  await browser.close();
  await server.close();
}
