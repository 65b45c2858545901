import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { ANNOUNCE_GAP_MS } from "../../clients/page/ui/announcer.ts";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";
import { axeScan, LAYOUT_RULES } from "../support/axe.ts";
import { useBrowser } from "../support/browser.ts";
import { LOCALES, PHONE, PROJECTOR_1024, PROJECTOR_1280 } from "../support/screens.ts";
import { useServer } from "../support/server.ts";

// axe-core on every page, in both languages, on every screen the layout tests know: no violation of any rule
// (WCAG A/AA, colour contrast included, and axe's best practices). Every rule runs at 1280×800 and, on a phone, with
// the folded top bar open (what it folds away shows only there); the rules that depend on the layout
// (support/axe.ts) run again at every other screen. The screens of one page load side by side.
const server = useServer();
const open = useBrowser();

const FULL = PROJECTOR_1280;
const OTHER_SCREENS = [PROJECTOR_1024, PHONE];
const HANDSHAKE_STEP = SLIDES.findIndex((slide) => slide.handshake === true) + 1;
const PAGES = [
  "/",
  "/?present",
  `/?present=${HANDSHAKE_STEP}`, // the handshake panel open
  "/?left=naive&right=conditional", // the naive loop's repeat badges
  ...SINGLE_PANE_PAGES.keys(),
];

/** The page at one screen size, loaded and in the state the scan is about. */
async function ready(path: string, viewport: { width: number; height: number }, locale: string): Promise<Page> {
  // The naive loop polls fast so its repeats fill the list soon; the other pages poll at their own pace.
  const fast = path.includes("naive") ? `${path.includes("?") ? "&" : "?"}interval=250` : "";
  const page = await open(`${server().url}${path}${fast}`, { viewport, locale });
  await page.locator("main .pane .counters").first().waitFor();
  if (path.includes("naive")) {
    // Repeats on screen, enough to make the list scroll (a scrolling region must be reachable by keyboard).
    await page.waitForFunction(() => {
      const list = document.querySelector<HTMLElement>('.pane[data-mode="naive"] .messages');
      return !!list?.querySelector("li.again") && list.scrollHeight > list.clientHeight;
    });
  }
  if (path.includes(`present=${HANDSHAKE_STEP}`)) await page.locator("#handshake .verdict").waitFor();
  return page;
}

describe.each(Object.entries(LOCALES))("axe-core in %s", (language, locale) => {
  // Three page loads and four scans: a few seconds on a quiet machine, minutes on one running a bench beside it.
  it.each(PAGES)("finds nothing on %s at any screen", { timeout: 240_000 }, async (path) => {
    const [full, ...others] = await Promise.all([FULL, ...OTHER_SCREENS].map((size) => ready(path, size, locale)));
    const found: string[] = [];
    const add = (size: { width: number }, lines: string[], note = "") =>
      found.push(...lines.map((line) => `${language} ${path} at ${size.width}${note}: ${line}`));
    const everyRule = await axeScan(full!);
    add(FULL, everyRule.violations);
    // Only the layout rules axe ran by default (a rule it leaves off, such as target-size, stays off).
    const layoutRules = LAYOUT_RULES.filter((rule) => everyRule.ran.has(rule));
    await Promise.all(
      others.map(async (page, i) => {
        const size = OTHER_SCREENS[i]!;
        add(size, (await axeScan(page, layoutRules)).violations);
        // The folded top bar, opened: what it hides is scanned too, with every rule.
        if (await page.locator("#top-toggle").isVisible()) {
          await page.locator("#top-toggle").click();
          add(size, (await axeScan(page)).violations, " (menu open)");
        }
      }),
    );
    expect(found).toEqual([]);
  });
});

describe("the live region", () => {
  it("reads the panes' counters out politely, at most once per ANNOUNCE_GAP_MS", async () => {
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
    // Ten polls a second change the counters ten times a second; the region changes far less often: three
    // announcements, awaited, are two gaps of at least ANNOUNCE_GAP_MS (so at most 3 in any 2 gaps + 500 ms).
    await page.waitForFunction(() => (window as unknown as { said: unknown[] }).said.length >= 3, undefined, {
      timeout: ANNOUNCE_GAP_MS * 2 + 30_000,
    });
    const said = await page.evaluate(() => (window as unknown as { said: { at: number; text: string }[] }).said);
    expect(said.filter(({ at }) => at - said[0]!.at <= ANNOUNCE_GAP_MS * 2 + 500).length).toBeLessThanOrEqual(3);
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
