import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { ANNOUNCE_GAP_MS } from "../../clients/page/ui/announcer.ts";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";
import { useBrowser } from "../support/browser.ts";
import { LOCALES, PHONE, PROJECTOR_1024, PROJECTOR_1280 } from "../support/screens.ts";
import { useServer } from "../support/server.ts";

// axe-core on every page, in both languages, on every screen the layout tests know: no violation of any rule
// (WCAG A/AA, colour contrast included, and axe's best practices).
const server = useServer();
const open = useBrowser();

const SCREENS = [PROJECTOR_1024, PROJECTOR_1280, PHONE];
const HANDSHAKE_STEP = SLIDES.findIndex((slide) => slide.handshake === true) + 1;
const PAGES = [
  "/",
  "/?present",
  `/?present=${HANDSHAKE_STEP}`, // the handshake panel open
  "/?left=naive&right=conditional", // the naive loop's repeat badges
  ...SINGLE_PANE_PAGES.keys(),
];

/** Violations as short lines: rule, impact, where. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")}`));
}

describe.each(Object.entries(LOCALES))("axe-core in %s", (language, locale) => {
  it.each(SCREENS)("finds nothing on any page at $width×$height", { timeout: 120_000 }, async (viewport) => {
    const found: string[] = [];
    for (const path of PAGES) {
      const page = await open(`${server().url}${path}${path.includes("?") ? "&" : "?"}interval=250`, {
        viewport,
        locale,
      });
      await page.locator("main .pane .counters").first().waitFor();
      if (path.includes("naive")) {
        // Repeats on screen, enough to make the list scroll (a scrolling region must be reachable by keyboard).
        await page.waitForFunction(() => {
          const list = document.querySelector<HTMLElement>('.pane[data-mode="naive"] .messages');
          return !!list?.querySelector("li.again") && list.scrollHeight > list.clientHeight;
        });
      }
      if (path.includes(`present=${HANDSHAKE_STEP}`)) await page.locator("#handshake .verdict").waitFor();
      found.push(...(await violations(page)).map((line) => `${language} ${path}: ${line}`));
      // The folded top bar, opened: what it hides is scanned too.
      if (await page.locator("#top-toggle").isVisible()) {
        await page.locator("#top-toggle").click();
        found.push(...(await violations(page)).map((line) => `${language} ${path} (menu open): ${line}`));
      }
      await page.context().close();
    }
    expect(found).toEqual([]);
  });
});

describe("the live region", () => {
  it("reads the panes' counters out politely, at most once per ANNOUNCE_GAP_MS", { timeout: 30_000 }, async () => {
    const page = await open(`${server().url}/?interval=100`);
    const region = page.locator('[aria-live="polite"][data-announcer]');
    expect(await region.count()).toBe(1);
    await page.evaluate(() => {
      const said: { at: number; text: string }[] = [];
      (window as unknown as { said: typeof said }).said = said;
      const node = document.querySelector("[data-announcer]")!;
      const record = () => said.push({ at: performance.now(), text: node.textContent ?? "" });
      new MutationObserver(record).observe(node, { childList: true, characterData: true, subtree: true });
    });
    // Ten polls a second change the counters ten times a second; the region changes far less often.
    await page.waitForTimeout(ANNOUNCE_GAP_MS * 2 + 500);
    const said = await page.evaluate(() => (window as unknown as { said: { at: number; text: string }[] }).said);
    expect(said.length).toBeGreaterThanOrEqual(1);
    expect(said.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < said.length; i++)
      expect(said[i]!.at - said[i - 1]!.at).toBeGreaterThanOrEqual(ANNOUNCE_GAP_MS - 50);
    // Each pane's latest summary, if it changed since it was last said: the poller's climb every 100 ms, so every
    // announcement has it; the idle socket's stay, so it is said again only when it changes.
    const pane = (name: string) => `${name}: messages \\d+, requests \\d+, empty answers \\d+\\.`;
    for (const { text } of said) {
      expect(text).toMatch(new RegExp(`^${pane("Polling")}( ${pane("WebSocket")})?$`));
    }
  });
});
