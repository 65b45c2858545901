import type { Browser, Locator, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../bench/clients/browser.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// The other transports in real Chromium: any two side by side, picked by URL or by each pane's mode picker.
const server = useServer();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server().url}${path}`);
  return { page, errors };
}

const shownCount = (pane: Locator, text: string) => pane.locator(".messages li span", { hasText: text }).count();

async function expectShownOnce(pane: Locator, text: string) {
  await waitFor(async () => (await shownCount(pane, text)) > 0, {
    what: `"${text}" in the ${await pane.getAttribute("data-mode")} pane`,
  });
  expect(await shownCount(pane, text)).toBe(1);
}

describe("/?left=longpoll&right=sse", () => {
  it("shows a message sent from a pane in both panes, once each", async () => {
    const { page, errors } = await open("/?left=longpoll&right=sse");
    try {
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
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe("the mode picker", () => {
  it("restarts a pane with another transport and keeps the choice in the URL", async () => {
    const { page, errors } = await open("/?interval=100");
    try {
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
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("single pages /longpoll, /sse and /conditional show one pane of their transport", async () => {
    for (const mode of ["longpoll", "sse", "conditional"]) {
      const { page, errors } = await open(`/${mode}`);
      try {
        await expect.poll(() => page.locator(".pane").count()).toBe(1);
        expect(await page.locator(".pane").getAttribute("data-mode")).toBe(mode);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });
});
