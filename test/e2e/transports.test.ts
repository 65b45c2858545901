import type { Locator } from "playwright";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../support/browser.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// The other transports in real Chromium: any two side by side, picked by URL or by each pane's mode picker.
const server = useServer();
const openPage = useBrowser();
/** A fresh page at `path` (closed after the test, which fails on a script error). */
const open = (path: string) => openPage(`${server().url}${path}`, { viewport: { width: 1280, height: 720 } });

const shownCount = (pane: Locator, text: string) => pane.locator(".messages li span", { hasText: text }).count();

async function expectShownOnce(pane: Locator, text: string) {
  await waitFor(async () => (await shownCount(pane, text)) > 0, {
    what: `"${text}" in the ${await pane.getAttribute("data-mode")} pane`,
  });
  expect(await shownCount(pane, text)).toBe(1);
}

describe("/?left=longpoll&right=sse", () => {
  it("shows a message sent from a pane in both panes, once each", async () => {
    const page = await open("/?left=longpoll&right=sse");
    const longpoll = page.locator('.pane[data-mode="longpoll"]');
    const sse = page.locator('.pane[data-mode="sse"]');
    await expect.poll(() => page.locator(".pane").count()).toBe(2);
    await waitFor(() => sse.locator(".status", { hasText: "stream open" }).count(), {
      what: "the event stream to open",
    });

    const text = uniqueText("from the long-poll pane");
    await longpoll.locator('input[name="text"]').fill(text);
    await longpoll.locator("button", { hasText: "Send" }).click();
    await expectShownOnce(longpoll, text);
    await expectShownOnce(sse, text);

    const fromElsewhere = uniqueText("posted by another client");
    await postMessage(server().url, { user: "curl", text: fromElsewhere });
    await expectShownOnce(longpoll, fromElsewhere);
    await expectShownOnce(sse, fromElsewhere);
    // The stream's events, counted at the server's socket for this pane: the two messages, after its history.
    await waitFor(async () => Number(await sse.locator('[data-counter="received"]').getAttribute("data-value")) > 0, {
      what: "the SSE pane's bytes received",
    });
  });
});

describe("the mode picker", () => {
  it("restarts a pane with another transport and keeps the choice in the URL", async () => {
    const page = await open("/?interval=100");
    const right = page.locator(".pane").nth(1);
    expect(await right.getAttribute("data-mode")).toBe("socket");
    await right.locator("select.mode-picker").selectOption("conditional");
    await expect.poll(() => right.getAttribute("data-mode")).toBe("conditional");
    expect(new URL(page.url()).searchParams.get("right")).toBe("conditional");
    // Conditional polling at 100 ms: after the first answers, the server says 304, counted as empty answers.
    await waitFor(async () => Number(await right.locator('[data-counter="empty"]').textContent()) >= 3, {
      what: "304s",
    });
    const text = uniqueText("to the conditional pane");
    await postMessage(server().url, { user: "curl", text });
    await expectShownOnce(right, text);
  });

  it("single pages /longpoll, /sse and /conditional show one pane of their transport", async () => {
    // They only read: opened side by side.
    const modes = ["longpoll", "sse", "conditional"];
    const pages = await Promise.all(modes.map((mode) => open(`/${mode}`)));
    for (const [i, page] of pages.entries()) {
      await expect.poll(() => page.locator(".pane").count()).toBe(1);
      expect(await page.locator(".pane").getAttribute("data-mode")).toBe(modes[i]);
    }
  });
});
