import { createHash } from "node:crypto";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { WEBSOCKET_GUID } from "../../shared/websocket-accept.ts";
import { useBrowser } from "../support/browser.ts";
import { useServer } from "../support/server.ts";

// The handshake panel in real Chromium: the browser's own upgrade request, the 101, and the accept worked out.
const server = useServer();
const open = useBrowser();
let page: Page;

async function openPanel() {
  page = await open(`${server().url}/`);
  await page.locator("#handshake summary").click();
  await page.locator("#handshake .verdict").waitFor();
}

const field = (name: string) => page.locator(`#handshake dd[data-field="${name}"]`).textContent();
const headerLine = (part: "request" | "response", name: string) =>
  page
    .locator(`#handshake .head`)
    .nth(part === "request" ? 0 : 1)
    .locator(`li[data-header="${name}"] .value`)
    .textContent();

describe("the handshake panel", () => {
  it("shows the browser's upgrade request, a 101, and an accept that matches its key", async () => {
    await openPanel();
    const response = page.locator("#handshake .head").nth(1);
    expect(await response.getAttribute("data-status")).toBe("101");
    expect(await response.locator(".start-line").textContent()).toContain("HTTP/1.1 101 Switching Protocols");
    expect(await page.locator("#handshake .head").nth(0).locator(".start-line").textContent()).toMatch(
      /^GET \/ws\?handshake HTTP\/1\.1/,
    );
    expect(await headerLine("request", "upgrade")).toBe("websocket");
    expect(await headerLine("request", "sec-websocket-version")).toBe("13");
    // Chromium's own headers, which no page script could have written: proof they are the browser's.
    expect(await headerLine("request", "user-agent")).toMatch(/Chrome/);

    const key = (await headerLine("request", "sec-websocket-key"))!;
    expect(Buffer.from(key, "base64")).toHaveLength(16);
    expect(await field("key")).toBe(key);
    const expected = createHash("sha1")
      .update(key + WEBSOCKET_GUID)
      .digest("base64");
    expect(await field("accept")).toBe(expected);
    expect(await headerLine("response", "sec-websocket-accept")).toBe(expected);
    expect(await field("server-accept")).toBe(expected);
    expect(await page.locator("#handshake .verdict").getAttribute("data-match")).toBe("true");
  });

  it("handshakes again with a fresh key", async () => {
    await openPanel();
    const first = await field("key");
    await page.locator("#handshake button").click();
    await page.waitForFunction((old) => {
      const key = document.querySelector('#handshake dd[data-field="key"]')?.textContent;
      return key && key !== old;
    }, first);
    const second = (await field("key"))!;
    expect(await field("accept")).toBe(
      createHash("sha1")
        .update(second + WEBSOCKET_GUID)
        .digest("base64"),
    );
  });
});
