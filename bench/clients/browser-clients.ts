import type { Browser, Page } from "playwright";
import { launchChromium } from "./browser.ts";
import { baseUrlFor, type ClientGroup } from "./client-group.ts";
import type { BenchMode } from "./modes.ts";
import { parseText } from "./publisher.ts";
import type { Receipt, TlsProtocol } from "../core/records.ts";

/**
 * Runs in each tab before the page's own code: notes the time every chat item (`li[data-id]`) appears, and the time
 * a frame with it has been drawn (requestAnimationFrame after the insertion, then the next task: the rendering
 * steps of that frame are done), on the epoch-based high-resolution clock the bench uses for sending times too.
 * The page itself is not changed.
 */
const RECORD_RECEIPTS = () => {
  const receipts: [string, number, number?][] = [];
  (window as unknown as { __benchReceipts: typeof receipts }).__benchReceipts = receipts;
  // No named helper functions in here: tsx (esbuild keepNames) would wrap them in a `__name` the tab does not have.
  new MutationObserver((records) => {
    const at = performance.timeOrigin + performance.now();
    const inserted: (typeof receipts)[number][] = [];
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement && node.matches("li[data-id]"))
          inserted.push([node.querySelector("span.text")?.textContent ?? "", at]);
      }
    }
    if (inserted.length === 0) return;
    receipts.push(...inserted);
    requestAnimationFrame(() =>
      setTimeout(() => {
        const painted = performance.timeOrigin + performance.now();
        for (const receipt of inserted) receipt[2] = painted;
      }),
    );
  }).observe(document, { childList: true, subtree: true });
};

export interface BrowserGroupOptions {
  mode: BenchMode;
  tabs: number;
  baseUrl: string;
  /** Several instances (bench --instances): tab i loads its page from baseUrls[i % n], as Node clients spread. */
  baseUrls?: string[];
  interval: number;
  nonce: string;
  /** Over TLS (bench --http2 --browser): the self-signed certificate accepted, HTTP/2 or (with --disable-http2) HTTP/1.1. */
  tls?: TlsProtocol;
}

/** Real Chromium tabs (each its own browser context, so its own connections) loading the mode's real page. */
export function startBrowserGroup(options: BrowserGroupOptions): ClientGroup {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  const ready = (async () => {
    browser = await launchChromium(options.tls === "h1" ? ["--disable-http2"] : []);
    for (let i = 0; i < options.tabs; i++) {
      const context = await browser.newContext({ ignoreHTTPSErrors: !!options.tls });
      const page = await context.newPage();
      await page.addInitScript(RECORD_RECEIPTS);
      const url = new URL(options.mode.page(options.interval), baseUrlFor(i, options));
      // The page measures its clock offset once, at load, and its panes do not read their totals back: those would be
      // requests in the windows. A fragment (clients/page/page.ts): never sent, so the tab's requests are a user's.
      url.hash = "quiet";
      await page.goto(url.href);
      pages.push(page);
    }
    // Warm: the history (at least the chat's first message) is on screen.
    await Promise.all(pages.map((page) => page.waitForSelector("li[data-id]", { timeout: 15_000 })));
  })();
  return {
    mode: options.mode,
    clients: options.tabs,
    where: "browser",
    ready,
    async counts() {
      // The pane's own meter: fetches made, plus one per WebSocket opened (the upgrade request).
      const values = await Promise.all(pages.map((page) => page.getAttribute(".pane", "data-requests-made")));
      const requests = values.reduce((sum, text) => sum + Number(text ?? 0), 0);
      // Failed requests show as the pane's error line; the browser group counts pages showing one.
      const errors = (await Promise.all(pages.map((page) => page.textContent(".pane .error")))).filter(
        (text) => !!text?.trim(),
      ).length;
      return options.mode.socket ? { requests: 0, sockets: requests, errors } : { requests, sockets: 0, errors };
    },
    async receipts() {
      return Promise.all(
        pages.map(async (page) => {
          const raw = await page.evaluate(
            () => (window as unknown as { __benchReceipts: [string, number, number?][] }).__benchReceipts,
          );
          const receipts: Receipt[] = [];
          for (const [text, at, paintedAt] of raw) {
            const seq = parseText(options.nonce, text);
            if (seq !== undefined) receipts.push({ seq, at, paintedAt: paintedAt ?? undefined });
          }
          return receipts;
        }),
      );
    },
    async stop() {
      await browser?.close();
    },
  };
}
