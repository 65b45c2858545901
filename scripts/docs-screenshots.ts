/**
 * `npm run docs:screenshots`: pictures of the real pages for docs/, taken in Chromium from a server started for
 * the run (free port, in-memory chat), so the docs never show a UI that no longer exists.
 * `npm run docs:screenshots -- timeline.png` takes only the pictures named.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright";
import { launchChromium } from "../bench/clients/browser.ts";
import { startServer } from "../server/node/node-server.ts";

const IMAGES = fileURLToPath(new URL("../docs/images/", import.meta.url));
const VIEWPORT = { width: 1400, height: 860 };
/** Presenter mode is for a projector: the common sizes of a classroom's, the smallest included. */
const PROJECTOR = { width: 1280, height: 800 };
/** The teaching projector's resolution (the smallest presenter mode fits), which the timeline picture is taken at. */
const CLASSROOM_PROJECTOR = { width: 1024, height: 768 };
/** A student's phone. */
const PHONE = { width: 390, height: 844 };
const LANGUAGES = [
  ["en", ""],
  ["tr", ".tr"],
] as const;
/** How long the panes run before a picture, so counters and latencies have something to show. */
const SETTLE_MS = 3500;
/** Only these pictures, if any are named on the command line. */
const only = process.argv.slice(2);
const wanted = (...names: string[]) => only.length === 0 || names.some((name) => only.includes(name));

/** The class view's join address in the picture: a typical classroom LAN address, as `npm start` would print it. */
const JOIN_URL = "http://192.168.1.20:8000/";
const server = await startServer({ port: 0, hostname: "127.0.0.1", roomUrls: () => [JOIN_URL] });
const browser = await launchChromium();
const written: string[] = [];

async function page(path: string, language = "en", viewport = VIEWPORT, deviceScaleFactor = 1): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor,
    locale: language === "tr" ? "tr-TR" : "en-US",
  });
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

async function save(
  target: Page | ReturnType<Page["locator"]>,
  name: string,
  clip?: { x: number; y: number; width: number; height: number },
) {
  await target.screenshot({ path: `${IMAGES}${name}`, ...(clip && { clip }) });
  written.push(`docs/images/${name}`);
}

try {
  await mkdir(IMAGES, { recursive: true });
  for (const text of ["hello chat!", "is this live?", "polling asks, the socket is told"]) {
    await server.chat.post({ user: "student", text });
  }
  server.bot.setRate(2);

  if (wanted("panes.png", "handshake-panel.png")) {
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
  }

  // Presenter mode, in English and in Turkish: "counting the cost" at 1280×800, the naive loop at 1024×768.
  for (const [language, suffix] of LANGUAGES) {
    if (wanted(`presenter${suffix}.png`)) {
      const presenting = await page("/?present=3", language, PROJECTOR);
      server.bot.setRate(2); // the step stops the bot; the picture wants traffic
      await presenting.waitForTimeout(SETTLE_MS);
      await save(presenting, `presenter${suffix}.png`);
      await presenting.context().close();
    }
    if (wanted(`presenter-1024x768${suffix}.png`)) {
      const small = await page("/?present=2", language, CLASSROOM_PROJECTOR); // the step runs the bot at 1 a second
      await small.locator(".messages li.again").first().waitFor();
      await small.waitForTimeout(SETTLE_MS);
      await save(small, `presenter-1024x768${suffix}.png`);
      await small.context().close();
    }
  }

  // Phones: both panes stacked (the naive loop above the fixed one), and a one-pane page.
  for (const [language, suffix] of LANGUAGES) {
    for (const [path, name] of [
      ["/?left=naive&right=polling", "phone"],
      ["/polling", "phone-polling"],
    ] as const) {
      if (!wanted(`${name}${suffix}.png`)) continue;
      const phone = await page(path, language, PHONE);
      await phone.waitForTimeout(SETTLE_MS);
      await save(phone, `${name}${suffix}.png`);
      await phone.context().close();
    }
  }

  // The middle ground: long polling beside Server-Sent Events.
  if (wanted("longpoll-sse.png")) {
    const middle = await page("/?left=longpoll&right=sse");
    await middle.waitForTimeout(SETTLE_MS);
    await save(middle, "longpoll-sse.png");
    await middle.context().close();
  }

  // The timeline strips on a projector, polling beside the socket: quiet first (empty polls, a socket
  // that says nothing), one student's message, then the bot. The picture is the panes' tops, down to the strips.
  if (wanted("timeline.png")) {
    server.bot.stop();
    const strips = await page("/", "en", CLASSROOM_PROJECTOR, 2);
    await strips.waitForTimeout(8_000);
    await server.chat.post({ user: "student", text: "a question from the back row" });
    await strips.waitForTimeout(6_000);
    server.bot.setRate(2);
    await strips.waitForTimeout(14_000);
    const panes = await strips.locator("main").boundingBox();
    const bottoms = await strips
      .locator(".timeline")
      .evaluateAll((all) => all.map((svg) => svg.getBoundingClientRect().bottom));
    await save(strips, "timeline.png", {
      x: panes!.x,
      y: panes!.y,
      width: panes!.width,
      height: Math.max(...bottoms) + 8 - panes!.y,
    });
    await strips.context().close();
  }

  // The class view on the projector, with a small room: a few tabs per transport and the bot talking; halfway, two
  // pollers switch to a socket, as the lesson asks the class to, so the charts show the switch.
  if (wanted("class-view.png")) {
    server.bot.setRate(2);
    const room: Page[] = [];
    for (const [mode, n] of [
      ["polling", 4],
      ["conditional", 1],
      ["longpoll", 2],
      ["sse", 2],
      ["socket", 3],
    ] as const) {
      for (let i = 0; i < n; i++) room.push(await page(`/${mode}`));
    }
    const projector = await browser.newPage({ viewport: PROJECTOR });
    await projector.goto(`${server.url}/class`);
    await projector.locator(".roster").waitFor();
    await projector.waitForTimeout(20_000);
    for (const tab of room.slice(0, 2)) await tab.locator("select.mode-picker").selectOption("socket");
    await projector.waitForTimeout(15_000);
    await save(projector, "class-view.png");
    await projector.close();
    await Promise.all(room.map((tab) => tab.context().close()));
  }

  console.log(`Wrote ${written.length} screenshots:\n${written.map((path) => `  ${path}`).join("\n")}`);
} finally {
  server.bot.stop();
  await browser.close();
  await server.close();
}
