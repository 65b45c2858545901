import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { useBrowser } from "../support/browser.ts";
import { useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// Presenter mode in real Chromium: slides beside the live panes, arrow keys, each step setting up panes and bot.
const server = useServer();
const open = useBrowser();

const title = (page: Page) => page.locator("aside.slides .slide h2").textContent();
const paneModes = (page: Page) =>
  page.locator("main .pane").evaluateAll((panes) => panes.map((pane) => (pane as HTMLElement).dataset.mode));
const stepInUrl = (page: Page) => new URL(page.url()).searchParams.get("present");

async function expectStep(page: Page, index: number) {
  await page.locator(`aside.slides .slide[data-slide="${SLIDES[index]!.id}"]`).waitFor();
  expect(await title(page)).toBe(SLIDES[index]!.text.en.title);
  expect(await page.locator("aside.slides .step-counter").textContent()).toBe(`step ${index + 1} of ${SLIDES.length}`);
  expect(stepInUrl(page)).toBe(String(index + 1));
}

describe("presenter mode", () => {
  it("steps forward and back with the arrow keys, setting up the panes and the bot for each step", async () => {
    const page = await open(`${server().url}/?present`);
    await expectStep(page, 0);
    expect(await page.evaluate(() => document.body.classList.contains("presenting"))).toBe(true);
    expect(await paneModes(page)).toEqual(SLIDES[0]!.modes);
    // The socket the first step replaced must not leave its "disconnected" behind in the pane now polling.
    await waitFor(() => server().hub.sockets.size === 0 || undefined, { what: "the replaced socket to close" });
    await page.waitForTimeout(300); // its close event reaches the page about when the server drops it
    expect(await page.locator("main .pane .status").allTextContents()).toEqual([
      "setInterval(poll, 1000)",
      "setInterval(poll, 1000)",
    ]);

    await page.keyboard.press("ArrowRight");
    await expectStep(page, 1);
    expect(await paneModes(page)).toEqual(SLIDES[1]!.modes); // the naive loop beside the fixed one
    await waitFor(() => server().bot.rate === SLIDES[1]!.bot, { what: "the bot to run at the step's rate" });

    await page.keyboard.press("ArrowRight");
    await expectStep(page, 2);
    expect(await paneModes(page)).toEqual(["polling", "socket"]);
    await waitFor(() => server().bot.rate === 0 || undefined, { what: "the bot to stop" });

    await page.keyboard.press("ArrowLeft");
    await expectStep(page, 1);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft"); // already at the first step: stays there
    await expectStep(page, 0);
  });

  it("does not turn the slide while someone types in a chat box", async () => {
    const page = await open(`${server().url}/?present=3`);
    await expectStep(page, 2);
    await page.locator('main .pane input[name="text"]').first().focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowLeft");
    await expectStep(page, 2);
  });

  it("turns the slide from wherever the focus is: the language switch, a pane's menu, a checkbox; the menu stays put", async () => {
    const handshakeStep = SLIDES.findIndex((slide) => slide.handshake === true); // it and the next keep polling | socket
    const page = await open(`${server().url}/?present=${handshakeStep + 1}`);
    await expectStep(page, handshakeStep);
    const picker = page.locator("main .pane select.mode-picker").first();

    await page.locator("#language").focus();
    await page.keyboard.press("ArrowRight");
    await expectStep(page, handshakeStep + 1);
    expect(await page.locator("#language").inputValue()).toBe("en"); // the key turned the slide, not the language

    await picker.focus();
    for (const [key, step] of [
      ["ArrowLeft", 0],
      ["PageDown", 1],
      ["PageUp", 0],
      ["ArrowRight", 1],
    ] as const) {
      await page.keyboard.press(key);
      await expectStep(page, handshakeStep + step);
      expect(await picker.inputValue(), key).toBe("polling"); // the slide turned; the menu did not
    }

    await page.locator("main .pane .naive-toggle input").first().focus();
    await page.keyboard.press("ArrowLeft");
    await expectStep(page, handshakeStep);
    await page.locator("#top-toggle").click(); // the folded bar: name, chat bot, clock, links
    await page.locator("#bot").focus();
    await page.keyboard.press("PageDown");
    await expectStep(page, handshakeStep + 1);
    expect(await paneModes(page)).toEqual(["polling", "socket"]);

    // A clicker's PageDown works from the chat box too; only its arrow keys stay with the typing.
    await page.locator('main .pane input[name="text"]').first().focus();
    await page.keyboard.press("ArrowLeft");
    await expectStep(page, handshakeStep + 1);
    await page.keyboard.press("PageUp");
    await expectStep(page, handshakeStep);
  });

  it("leaves a pane's menu to its own choices outside presenter mode too", async () => {
    const page = await open(`${server().url}/?left=naive`);
    const picker = page.locator("main .pane select.mode-picker").first();
    await picker.focus();
    for (const key of ["ArrowRight", "ArrowLeft", "PageDown", "PageUp"]) {
      await page.keyboard.press(key); // each on its own: two keys could undo each other
      await page.waitForTimeout(100);
      expect(await paneModes(page), key).toEqual(["naive", "socket"]);
    }
    await picker.selectOption("sse"); // an explicit choice still switches
    expect(await paneModes(page)).toEqual(["sse", "socket"]);
  });

  it("opens the handshake panel on the handshake step", async () => {
    const handshakeStep = SLIDES.findIndex((slide) => slide.handshake === true);
    const page = await open(`${server().url}/?present=${handshakeStep}`);
    expect(await page.locator("#handshake").getAttribute("open")).toBeNull();
    await page.keyboard.press("PageDown");
    await expectStep(page, handshakeStep);
    await page.locator('#handshake .verdict[data-match="true"]').waitFor();
  });

  it("starts from the Present button and leaves again", async () => {
    const page = await open(`${server().url}/`);
    expect(await page.locator("aside.slides").count()).toBe(0);
    await page.locator("#present").click();
    await expectStep(page, 0);
    await page.locator("aside.slides button.exit").click();
    expect(await page.locator("aside.slides").count()).toBe(0);
    expect(stepInUrl(page)).toBeNull();
    await page.keyboard.press("ArrowRight"); // no presenter listening any more
    expect(await page.locator("aside.slides").count()).toBe(0);
  });
});
