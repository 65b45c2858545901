import type { Browser, Locator, Page } from "playwright";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../../bench/clients/browser.ts";
import { createChat } from "../../server/chat-factory.ts";
import { startServer, type RunningServer } from "../../server/node/node-server.ts";
import { describeWithRedis, freshNamespace, useRedis } from "../support/redis.ts";
import { uniqueText } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// The classroom demo of `npm run start:cluster` in real Chromium: /polling on one instance, /socket on the other.
describeWithRedis("two instances through Redis, in the browser", () => {
  const redis = useRedis();
  let browser: Browser;
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    const namespace = freshNamespace("e2e");
    const start = async () =>
      startServer({
        port: 0,
        hostname: "127.0.0.1",
        chat: await createChat({ redisUrl: redis().url, namespace, log: () => {} }),
      });
    servers = [await start(), await start()];
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  async function open(server: RunningServer, path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}${path}`);
    return { page, errors };
  }

  const shownCount = (pane: Locator, text: string) => pane.locator(".messages li span", { hasText: text }).count();

  async function expectShownOnce(pane: Locator, text: string, where: string) {
    await waitFor(async () => (await shownCount(pane, text)) > 0, { what: `"${text}" in ${where}` });
    expect(await shownCount(pane, text)).toBe(1);
  }

  async function send(pane: Locator, text: string) {
    await pane.locator('input[name="text"]').fill(text);
    await pane.locator("button", { hasText: "Send" }).click();
  }

  it("a message sent in either tab shows once in the other, across instances", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const polling = await open(a, "/polling");
    const socket = await open(b, "/socket");
    try {
      const pollingPane = polling.page.locator('.pane[data-mode="polling"]');
      const socketPane = socket.page.locator('.pane[data-mode="socket"]');
      await expectShownOnce(socketPane, "first message", "the socket tab on B");
      await expectShownOnce(pollingPane, "first message", "the polling tab on A");

      const fromSocket = uniqueText("sent in the socket tab on B");
      await send(socketPane, fromSocket);
      await expectShownOnce(socketPane, fromSocket, "the socket tab on B");
      await expectShownOnce(pollingPane, fromSocket, "the polling tab on A");

      const fromPolling = uniqueText("sent in the polling tab on A");
      await send(pollingPane, fromPolling);
      await expectShownOnce(pollingPane, fromPolling, "the polling tab on A");
      await expectShownOnce(socketPane, fromPolling, "the socket tab on B");
      expect([...polling.errors, ...socket.errors]).toEqual([]);
    } finally {
      await polling.page.close();
      await socket.page.close();
    }
  });
});
