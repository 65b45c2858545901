import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { useBrowser } from "../support/browser.ts";
import { useServer } from "../support/server.ts";

// The language switch in real Chromium: labels of the top bar, the panes and the panels change, and stay changed.
const server = useServer();
const open = useBrowser();

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();

describe("the language switch", () => {
  it("turns the labels Turkish without a reload, and remembers the choice", async () => {
    const page = await open(`${server().url}/`);
    expect(await text(page, '[data-i18n="top.bot"]')).toBe("chat bot");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    const requests = page.locator('main .pane[data-mode="polling"] [data-counter="requests"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-counter="requests"]')?.textContent) >= 2);
    const requestsBefore = Number(await requests.textContent());
    const socket = page.locator('main .pane[data-mode="socket"]');
    await socket.locator(".status", { hasText: /^connected$/ }).waitFor();
    await socket.locator(".history:not([hidden])").waitFor();
    expect(await socket.locator(".history").textContent()).toMatch(/^history: \d+ B received, \d+ B sent, once$/);
    expect(await socket.locator(".counters").getAttribute("title")).toMatch(/^Counted by the server at its TCP socket/);

    await page.locator("#language").selectOption("tr");
    expect(await text(page, '[data-i18n="top.bot"]')).toBe("sohbet botu");
    expect(await text(page, '[data-i18n="top.name"]')).toBe("adın");
    expect(await text(page, "#handshake summary")).toBe("WebSocket el sıkışması, başlık başlık");
    expect(await page.locator("html").getAttribute("lang")).toBe("tr");
    const links = ["ikisi birden", "polling", "soket", "koşullu", "long polling", "SSE", "sınıf görünümü"];
    expect(await page.locator("header.top .links a").allTextContents()).toEqual(links);
    // The panes too, in place: same connections, same counters.
    const polling = page.locator('main .pane[data-mode="polling"]');
    expect(await polling.locator("h2").textContent()).toBe("Polling · her 1000 ms");
    expect(await polling.locator("dt").first().textContent()).toBe("istek");
    expect(await polling.locator("form button").textContent()).toBe("Gönder");
    expect(await polling.locator("button.reset").textContent()).toBe("sayaçları sıfırla");
    expect(await polling.locator('input[name="text"]').getAttribute("placeholder")).toBe("Bir şey yaz");
    expect(await polling.locator('select.mode-picker option[value="naive"]').textContent()).toBe("Naif polling");
    // Status lines and units are words too (code stays code: the polling line is the client's own call).
    expect(await socket.locator(".status").textContent()).toBe("bağlı");
    expect(await socket.locator(".history").textContent()).toMatch(
      /^geçmiş \(bir kez\): \d+ B alındı, \d+ B gönderildi$/,
    );
    expect(await socket.locator(".counters").getAttribute("title")).toMatch(
      /^Sunucu bunları kendi TCP soketinde, başlıklarıyla birlikte sayar/,
    );
    expect(await polling.locator(".status").textContent()).toBe("setInterval(poll, 1000)");
    expect(Number(await requests.textContent())).toBeGreaterThanOrEqual(requestsBefore); // not reset by a reload

    await page.reload();
    expect(await page.locator("#language").inputValue()).toBe("tr");
    expect(await text(page, '[data-i18n="top.bot"]')).toBe("sohbet botu");

    await page.locator("#language").selectOption("en");
    expect(await text(page, '[data-i18n="top.bot"]')).toBe("chat bot");
  });

  it("follows a Turkish browser until told otherwise", async () => {
    const page = await open(`${server().url}/`, { locale: "tr-TR" });
    expect(await page.locator("#language").inputValue()).toBe("tr");
    expect(await text(page, '[data-i18n="top.present"]')).toBe("Sunum");
  });

  it("turns the slides Turkish in presenter mode", async () => {
    const page = await open(`${server().url}/?present=4`);
    expect(await text(page, "aside.slides .slide h2")).toBe(SLIDES[3]!.text.en.title);
    await page.locator("#language").selectOption("tr");
    expect(await text(page, "aside.slides .slide h2")).toBe(SLIDES[3]!.text.tr.title);
    expect(await text(page, "aside.slides .step-counter")).toBe(`adım 4 / ${SLIDES.length}`);
    expect(await text(page, 'aside.slides dd[data-field="ask"]')).toBe(SLIDES[3]!.text.tr.ask);
  });

  it("writes the counters' numbers as the language does, in place", async () => {
    // A long history, so the naive pane's bytes pass 10 000 and show a decimal: "12.3 kB", then "12,3 kB".
    for (let i = 0; i < 15; i++) {
      await fetch(`${server().url}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "ada", text: "x".repeat(500) }),
      });
    }
    const page = await open(`${server().url}/?left=naive&right=socket`);
    const received = page.locator('main .pane[data-mode="naive"] [data-counter="received"]');
    await received.filter({ hasText: /^\d+\.\d kB/ }).waitFor();
    await page.locator("#language").selectOption("tr");
    expect(await received.textContent()).toMatch(/^\d+,\d kB$/);
  });
});
