import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright";
import { describe, expect, it } from "vitest";
import { startServer } from "../../server/node/node-server.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";
import { nodeSockets } from "../../server/node/socket-lifecycle.ts";
import { useBrowser } from "../support/browser.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// What a person sees, in real Chromium: both panes, sending, escaping, counters, the naive loop, reconnects.
const server = useServer();
const openPage = useBrowser();

/** Opens a page of the demo (tests pass a fast poll interval to stay short) and records any dialog it opens. */
async function open(path: string, viewport = { width: 1280, height: 720 }) {
  const page = await openPage(`${server().url}${path}`, { viewport });
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, dialogs };
}

const pane = (page: Page, mode: string) => page.locator(`.pane[data-mode="${mode}"]`);
const shown = (p: Locator, text: string) => p.locator(".messages li span", { hasText: text });
const counter = async (p: Locator, name: string) => (await p.locator(`[data-counter="${name}"]`).textContent()) ?? "";
const leadingNumber = (text: string) => Number(text.match(/^[\d.]+/)?.[0] ?? NaN);

async function send(p: Locator, text: string) {
  await p.locator('input[name="text"]').fill(text);
  await p.locator("button", { hasText: "Send" }).click();
}

/** Waits until the socket pane says it is connected. */
const connected = (socket: Locator) =>
  waitFor(async () => (await socket.locator(".status").textContent()) === "connected", {
    what: "the socket to connect",
  });

/** Waits until `text` is shown exactly once in the pane. */
async function expectShownOnce(p: Locator, text: string) {
  await waitFor(async () => (await shown(p, text).count()) > 0, {
    what: `"${text}" in the ${await p.getAttribute("data-mode")} pane`,
  });
  expect(await shown(p, text).count()).toBe(1);
}

/** Sends a fresh text from one pane and waits until each of the two panes shows it, exactly once. */
async function sendAndSeeInBoth(from: Locator, other: Locator, label: string) {
  const text = uniqueText(label);
  await send(from, text);
  await expectShownOnce(from, text);
  await expectShownOnce(other, text);
}

describe("/ (both panes)", () => {
  it("a message sent from either pane shows in both", async () => {
    const { page } = await open("/?interval=200");
    const polling = pane(page, "polling");
    const socket = pane(page, "socket");
    await connected(socket);

    await sendAndSeeInBoth(polling, socket, "from the polling pane");
    await sendAndSeeInBoth(socket, polling, "from the socket pane");
  });

  it("shows an XSS payload as text: no img element, no dialog", async () => {
    const { page, dialogs } = await open("/?interval=200");
    const payload = "<img src=x onerror=alert(1)>";
    await connected(pane(page, "socket"));
    await send(pane(page, "socket"), payload);
    for (const mode of ["socket", "polling"]) {
      const span = shown(pane(page, mode), payload);
      await waitFor(async () => (await span.count()) > 0, { what: `the payload in the ${mode} pane` });
      expect(await span.first().textContent()).toBe(payload);
    }
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("counters move: polling counts requests and empty answers, both count bytes and latency", async () => {
    const { page } = await open("/?interval=200");
    const polling = pane(page, "polling");
    const socket = pane(page, "socket");
    await waitFor(async () => leadingNumber(await counter(polling, "requests")) >= 3, { what: "three polls" });
    await waitFor(async () => leadingNumber(await counter(polling, "empty")) >= 1, { what: "an empty answer" });
    expect(leadingNumber(await counter(polling, "sent"))).toBeGreaterThan(0); // request heads, which no browser API shows
    // The socket's upgrade, 101 and history are its history, paid once: idle, it costs nothing after.
    expect(await socket.locator(".history").textContent()).toMatch(
      /^history: [\d.]+ k?B received, [\d.]+ k?B sent, once$/,
    );
    expect(await counter(socket, "requests")).toBe("0");
    expect(await counter(socket, "sent")).toBe("0 B");

    const socketBytes = leadingNumber(await counter(socket, "received"));
    const text = uniqueText("counted");
    await postMessage(server().url, { user: "e2e", text });
    await expectShownOnce(socket, text);
    await expectShownOnce(polling, text);
    await waitFor(async () => leadingNumber(await counter(socket, "received")) > socketBytes, {
      what: "the frame counted",
    });
    expect(await counter(polling, "received")).toMatch(/^\d+(\.\d)? k?B$/);
    expect(await polling.locator(".proxied").isHidden()).toBe(true); // straight to the server, no proxy between

    for (const p of [polling, socket]) expect(await counter(p, "latency-last")).toMatch(/^\d+ ms$/);
    // Reset: the counters start again from the next reading; the history stays, paid once.
    // Clicked and read in one task: the pane's next reading (one a second, five polls at 200 ms) may land between
    // a click and a separate read on a busy machine.
    const afterReset = await polling.evaluate((pane) => {
      pane.querySelector<HTMLButtonElement>("button.reset")!.click();
      return pane.querySelector('[data-counter="requests"]')!.textContent;
    });
    expect(afterReset).toBe("0");
    expect(await polling.locator(".history").isVisible()).toBe(true);
    await waitFor(async () => leadingNumber(await counter(polling, "requests")) >= 1, {
      what: "counting again after reset",
    });
  });

  it("the naive toggle brings back the slides' loop: every message repeats", async () => {
    const { page } = await open("/?interval=200");
    const polling = page.locator(".pane").first(); // not by data-mode: the toggle changes it
    await waitFor(async () => leadingNumber(await counter(polling, "requests")) >= 1, { what: "the first poll" });
    await polling.locator(".naive-toggle input").check();
    await waitFor(async () => (await polling.getAttribute("data-mode")) === "naive", { what: "naive mode" });
    // The lesson's "first message" (id 1) comes back with every poll.
    await waitFor(async () => (await polling.locator('.messages li[data-id="1"]').count()) >= 3, { what: "repeats" });
    await polling.locator(".naive-toggle input").uncheck();
    await waitFor(async () => (await polling.getAttribute("data-mode")) === "polling", { what: "polling mode" });
    await waitFor(async () => leadingNumber(await counter(polling, "requests")) >= 2, { what: "fixed polling to run" });
    expect(await polling.locator('.messages li[data-id="1"]').count()).toBe(1);
  });

  it("the socket pane's box brings back the slides' connect(): after a drop it stays down", async () => {
    const { page } = await open("/?interval=200");
    const socket = page.locator(".pane").nth(1); // not by data-mode: the box changes it
    await connected(socket);
    expect(await socket.locator(".naive-toggle span").textContent()).toBe("connect() as on the slides");
    await socket.locator(".naive-toggle input").check();
    await waitFor(async () => (await socket.getAttribute("data-mode")) === "naive-socket", {
      what: "the slides' connect()",
    });
    await connected(socket);
    expect(new URL(page.url()).searchParams.get("right")).toBe("naive-socket");

    const upgrades = server().stats.upgrades;
    for (const ws of nodeSockets(server().hub)) ws.terminate();
    await waitFor(
      async () => (await socket.locator(".status").textContent())?.startsWith("disconnected, for good") ?? false,
      {
        what: "the pane to say it stays down",
      },
    );
    const missed = uniqueText("missed for good");
    await postMessage(server().url, { user: "e2e", text: missed });
    await page.waitForTimeout(600); // connect() would have reconnected by now (250 ms)
    expect(server().stats.upgrades).toBe(upgrades);
    expect(await shown(socket, missed).count()).toBe(0);

    await socket.locator(".naive-toggle input").uncheck();
    await waitFor(async () => (await socket.getAttribute("data-mode")) === "socket", {
      what: "the hardened connect()",
    });
    await connected(socket);
  });

  it("the top bar links both panes, then each transport's page, from shared/transports.ts, then the class view", async () => {
    const { page } = await open("/?interval=200");
    const links = page.locator("header.top .links a");
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      "/",
      ...SINGLE_PANE_PAGES.keys(),
      "/class",
    ]);
    const names = ["both", "polling", "socket", "conditional", "long poll", "SSE", "class view"];
    expect(await links.allTextContents()).toEqual(names);
  });
});

describe("/polling and /socket (one pane each, for two real tabs)", () => {
  it("a message sent in the /polling tab reaches the /socket tab, and back", async () => {
    const { page: pollingPage } = await open("/polling?interval=200");
    const { page: socketPage } = await open("/socket");
    expect(await pollingPage.locator(".pane").count()).toBe(1);
    expect(await socketPage.locator(".pane").count()).toBe(1);
    const polling = pane(pollingPage, "polling");
    const socket = pane(socketPage, "socket");
    await connected(socket);

    await sendAndSeeInBoth(polling, socket, "from the polling tab");
    await sendAndSeeInBoth(socket, polling, "from the socket tab");
  });

  it("the socket tab reconnects after the server drops it, gets what it missed, and shows nothing twice", async () => {
    const { page } = await open("/socket");
    const socket = pane(page, "socket");
    await connected(socket);
    const before = uniqueText("before the drop");
    await postMessage(server().url, { user: "e2e", text: before });
    await expectShownOnce(socket, before);

    const upgrades = server().stats.upgrades;
    for (const ws of nodeSockets(server().hub)) ws.terminate();
    const missed = uniqueText("missed while away");
    await postMessage(server().url, { user: "e2e", text: missed });
    await waitFor(() => server().stats.upgrades > upgrades, { what: "the page to reconnect" });
    await expectShownOnce(socket, missed);
    await connected(socket);

    const ids = await socket
      .locator(".messages li")
      .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("README screenshot", () => {
  it("takes the README screenshot (docs/images/demo.png): both panes, a few messages, counters moving, chat bot on", {
    timeout: 180_000,
  }, async () => {
    // A server of its own, so the picture shows a class's chat rather than this file's test messages.
    const own = await startServer({ port: 0, hostname: "127.0.0.1" });
    try {
      const page = await openPage(`${own.url}/`, { viewport: { width: 1280, height: 640 } });
      await page.locator("#user").fill("teacher");
      await page.locator("#user").dispatchEvent("change");
      const polling = pane(page, "polling");
      const socket = pane(page, "socket");
      await connected(socket);
      await send(socket, "Left: polling every second. Right: one WebSocket. Watch the counters.");
      await postMessage(own.url, { user: "ayse", text: "merhaba! which one is faster?" });
      await send(polling, "the polling pane can send too");
      await waitFor(async () => leadingNumber(await counter(polling, "empty")) >= 2, { what: "two empty polls" });

      await page.locator("#bot-rate").fill("1");
      await page.locator("#bot").check();
      await waitFor(() => own.bot.rate === 1, { what: "the chat bot to start" });
      await waitFor(async () => (await polling.locator(".messages li b", { hasText: "chatbot" }).count()) >= 3, {
        what: "three chat bot messages in the polling pane",
      });
      await expectShownOnce(socket, "merhaba! which one is faster?");
      // Always taken (test-results/, git-ignored); copied over the README's picture only when asked, so that
      // `npm test` leaves the work tree as it found it.
      const png = await page.screenshot({
        path: fileURLToPath(new URL("../../test-results/demo.png", import.meta.url)),
      });
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      if (process.env.UPDATE_DOCS_IMAGES) {
        await writeFile(fileURLToPath(new URL("../../docs/images/demo.png", import.meta.url)), png);
      }
    } finally {
      await own.close();
    }
  });
});
