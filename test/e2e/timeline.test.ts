import type { Locator, Page } from "playwright";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../support/browser.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// The timeline strip under each pane's counters (clients/page/pane/timeline.ts), in real Chromium: every tick is a counted
// request or frame, and a message's marker crosses both strips, the socket's tick on it, the poller's after it.
const server = useServer();
const openPage = useBrowser();

const INTERVAL = 500;
const pane = (page: Page, mode: string) => page.locator(`.pane[data-mode="${mode}"]`);

/**
 * One look at a pane: the requests its page made (the meter's count; the counters above are the server's, read back
 * once a second) and its strip's drawn items, read in the same instant.
 */
const look = (p: Locator) =>
  p.evaluate((node) => {
    const strip = node.querySelector(".timeline")!;
    const count = (selector: string) => strip.querySelectorAll(selector).length;
    return {
      requests: Number((node as HTMLElement).dataset.requestsMade),
      requestTicks: count('[data-kind="request"], [data-kind="send"]'),
      emptyTicks: count('[data-kind="request"][data-answer="empty"], [data-kind="request"][data-answer="304"]'),
      connections: count('[data-kind="connection"]'),
      frames: count('[data-kind="frame"]'),
      framesSent: count('[data-kind="frame-sent"]'),
      label: strip.getAttribute("aria-label") ?? "",
    };
  });

/** The x of the marker of message `id` in a pane's strip, and of the tick (answer or frame) that delivered it. */
const positions = (p: Locator, id: number) =>
  p.evaluate((node, id) => {
    const strip = node.querySelector(".timeline")!;
    const marker = strip.querySelector<SVGElement>(`[data-kind="marker"][data-id="${id}"]`);
    const delivery = [...strip.querySelectorAll<SVGElement>('[data-kind="request"], [data-kind="frame"]')].find(
      (tick) => tick.dataset.ids?.split(",").includes(String(id)),
    );
    return {
      marker: marker ? Number(marker.dataset.x) : undefined,
      delivery: delivery ? Number(delivery.dataset.x) : undefined,
      width: strip.getBoundingClientRect().width,
    };
  }, id);

async function send(p: Locator, text: string) {
  await p.locator('input[name="text"]').fill(text);
  await p.locator("button", { hasText: "Send" }).click();
}

describe("the timeline strip, polling beside socket", () => {
  it("draws a tick per counted request and frame, and every message's marker on both strips", {
    timeout: 120_000,
  }, async () => {
    const page = await openPage(`${server().url}/?interval=${INTERVAL}`);
    // Playwright watches the socket's frames on its own, an account independent of the page's meter. It listens
    // first, then the page loads again; the chat socket is the last one opened (not the handshake panel's).
    const sockets: string[][] = [];
    page.on("websocket", (ws) => {
      if (ws.url().includes("handshake")) return;
      const frames: string[] = [];
      sockets.push(frames);
      ws.on("framereceived", (frame) => frames.push(String(frame.payload)));
    });
    await page.reload();
    const polling = pane(page, "polling");
    const socket = pane(page, "socket");
    await waitFor(async () => (await socket.locator(".status").textContent()) === "connected", { what: "the socket" });
    const framesOnTheWire = sockets.at(-1)!;

    const ids: number[] = [];
    for (const label of ["first", "second"]) {
      ids.push((await postMessage(server().url, { user: "e2e", text: uniqueText(label) })).id);
      await page.waitForTimeout(INTERVAL * 1.5);
    }
    await send(polling, uniqueText("from the polling pane")); // a POST: counted as a request, drawn as one
    await send(socket, uniqueText("from the socket pane")); // a frame sent
    await waitFor(async () => (await look(polling)).requests >= 8, {
      what: "a few seconds of polls",
      timeoutMs: 20_000,
    });

    // Polling: as many request ticks as requests made. The count moves when an answer is in and the strip redraws
    // within REDRAW_MS, so they agree between polls: wait for that.
    const agreed = await waitFor(
      async () => {
        const seen = await look(polling);
        return seen.requestTicks === seen.requests ? seen : undefined;
      },
      { what: "the polling strip to show each request made" },
    );
    expect(agreed.emptyTicks).toBeGreaterThan(0);
    // The words count the GETs as requests and the POST as sent.
    expect(agreed.label).toContain(`requests: ${agreed.requests - 1}, empty: ${agreed.emptyTicks}`);
    expect(agreed.label).toContain("sent: 1");

    // The socket: one connection (its upgrade, the one request), a tick per frame Playwright saw, one frame sent.
    const frames = await waitFor(
      async () => {
        const seen = await look(socket);
        return seen.frames === framesOnTheWire.length ? seen : undefined;
      },
      { what: "the socket strip to show each frame on the wire" },
    );
    expect(frames).toMatchObject({ requests: 1, connections: 1, framesSent: 1 });
    expect(frames.frames).toBeGreaterThanOrEqual(5); // history, the four messages
    expect(frames.label).toContain(`frames or events received: ${framesOnTheWire.length}`);

    // Each posted message: a marker on both strips; the socket's tick on it, the poller's up to an interval later.
    for (const id of ids) {
      const onSocket = await waitFor(
        async () => {
          const seen = await positions(socket, id);
          return seen.marker !== undefined && seen.delivery !== undefined ? seen : undefined;
        },
        { what: `message ${id} on the socket strip` },
      );
      const onPolling = await waitFor(
        async () => {
          const seen = await positions(polling, id);
          return seen.marker !== undefined && seen.delivery !== undefined ? seen : undefined;
        },
        { what: `message ${id} on the polling strip` },
      );
      const pxPerMs = onPolling.width / 30_000;
      expect(Math.abs(onSocket.delivery! - onSocket.marker!)).toBeLessThan(200 * pxPerMs);
      expect(onPolling.delivery!).toBeGreaterThanOrEqual(onPolling.marker! - 1);
      expect(onPolling.delivery! - onPolling.marker!).toBeLessThan(2 * INTERVAL * pxPerMs);
    }
  });

  it.each([
    ["projector", { width: 1024, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ])("fits the %s: 40 px high, inside its pane, drawn", async (_, viewport) => {
    const page = await openPage(`${server().url}/?interval=${INTERVAL}`, { viewport });
    for (const mode of ["polling", "socket"]) {
      const p = pane(page, mode);
      const strip = p.locator(".timeline");
      await waitFor(async () => (await strip.locator('[data-kind="request"], [data-kind="connection"]').count()) > 0, {
        what: `the ${mode} strip to draw`,
      });
      const [box, paneBox] = [await strip.boundingBox(), await p.boundingBox()];
      expect(box!.height).toBe(40);
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.x).toBeGreaterThanOrEqual(paneBox!.x);
      expect(box!.x + box!.width).toBeLessThanOrEqual(paneBox!.x + paneBox!.width);
      expect(await strip.getAttribute("role")).toBe("img");
      expect(await strip.getAttribute("aria-label")).toMatch(/^Last 30 s: /);
    }
  });
});
