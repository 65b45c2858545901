import type { Browser, Page } from "playwright";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchChromium } from "../../bench/clients/browser.ts";

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** The browser's language (`navigator.language`); English unless a test says otherwise. */
  locale?: string;
}

const PAGE_TIMEOUT_MS = 60_000;

/**
 * One Chromium for the tests of a file; each `open()` is a fresh page in a fresh context (its own localStorage),
 * closed after the test, which fails if the page threw a script error.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()));
    expect(errors.splice(0)).toEqual([]);
  });
  return async function open(url: string, options: OpenOptions = {}): Promise<Page> {
    if (!browser) throw new Error("the browser is not running (useBrowser() must be called at file or describe level)");
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: options.locale ?? "en-US",
    });
    // Playwright's 30 s for an action or a wait is tight beside a running bench; a passing test never waits it out.
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const page = await context.newPage();
    pages.push(page);
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    return page;
  };
}
