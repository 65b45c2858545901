import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../bench/clients/browser.ts";
import { selfSignedCertificate } from "../../server/node/https/tls-certificate.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// npm start -- --https in real Chromium: every transport over TLS, and what protocol each one really got.
const dir = mkdtempSync(join(tmpdir(), "chat-e2e-https-"));
const credentials = await selfSignedCertificate(dir);
const server = useServer({ https: { port: 0, credentials } });
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server().secure!.url}${path}`);
  return { page, errors };
}

const PAIRS = [
  ["polling", "socket"],
  ["conditional", "longpoll"],
  ["sse", "naive"],
] as const;

/** For the transports that hold something open: whether the server holds one (each pair's modes differ). */
const OPEN: Partial<Record<string, () => boolean>> = {
  socket: () => server().hub.sockets.size > 0,
  longpoll: () => server().longPolls.held.size > 0,
  sse: () => server().sseStreams.streams.size > 0,
};

describe("the HTTPS page in Chromium", () => {
  for (const [left, right] of PAIRS) {
    it(`${left} and ${right} each deliver a message over TLS`, async () => {
      const { page, errors } = await open(`/?left=${left}&right=${right}`);
      try {
        await waitFor(
          () =>
            page
              .locator(".pane li[data-id]")
              .count()
              .then((n) => n >= 2),
          { what: "the history in both panes" },
        );
        // The event stream, the held poll and the socket are open on the server (the history comes before them).
        await waitFor(() => [left, right].every((mode) => (OPEN[mode] ?? (() => true))()), {
          what: `${left} and ${right} open on the server`,
        });
        const text = uniqueText(`${left}+${right} over tls`);
        await postMessage(server().url, { user: "e2e", text });
        for (const mode of [left, right]) {
          const pane = page.locator(`.pane[data-mode="${mode}"]`);
          await waitFor(
            () =>
              pane
                .locator(".messages li span", { hasText: text })
                .count()
                .then((n) => n === 1),
            { what: `${mode} shows it` },
          );
        }
        expect(errors).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }

  it("a polling pane shows h2; the socket is an HTTP/1.1 upgrade on a connection of its own (no RFC 8441)", async () => {
    const before = { ...server().secure!.protocols };
    const upgrades = server().stats.upgrades;
    const { page } = await open("/?left=polling&right=socket");
    try {
      const protocol = page.locator('.pane[data-mode="polling"] [data-counter="protocol"]');
      await waitFor(() => protocol.textContent().then((text) => text === "h2"), {
        what: "the polling pane's protocol",
      });
      await waitFor(() => server().stats.upgrades > upgrades, { what: "the WebSocket upgrade" });
      const opened = (name: string) => (server().secure!.protocols[name] ?? 0) - (before[name] ?? 0);
      // The page and its polls share one h2 connection; the socket opened one more, over HTTP/1.1.
      expect(opened("h2")).toBe(1);
      expect(opened("http/1.1")).toBe(1);
      expect(await page.locator('.pane[data-mode="socket"] [data-counter="protocol"]').textContent()).toBe("–");
    } finally {
      await page.context().close();
    }
  });
});
