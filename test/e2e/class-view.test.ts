import QRCode from "qrcode";
import type { Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import type { TransportId } from "../../shared/transports.ts";
import { useBrowser } from "../support/browser.ts";
import { useServer } from "../support/server.ts";
import { studentRelay } from "../support/student.ts";
import { waitFor } from "../support/wait.ts";

// The class view on the projector, in real Chromium: who is here per transport, the charts moving with the bot, the
// QR code of the LAN URL, and the teacher's controls, which a student's tab neither sees nor can use.
const JOIN_URL = "http://192.0.2.10:8000/";
const server = useServer({ roomUrls: () => [JOIN_URL] });
const open = useBrowser();

const counts = (page: Page) =>
  page
    .locator(".roster td.count")
    .evaluateAll((cells) =>
      Object.fromEntries(cells.map((cell) => [(cell as HTMLElement).dataset.transport, Number(cell.textContent)])),
    ) as Promise<Partial<Record<TransportId, number>>>;
const last = async (page: Page, chart: string) =>
  JSON.parse((await page.locator(`figure[data-chart="${chart}"]`).getAttribute("data-last")) ?? "{}") as Record<
    string,
    number
  >;

describe("the class view", () => {
  it("shows the clients a test opens, per transport, and a switch from polling to socket", async () => {
    const view = await open(`${server().url}${CLASS_PATHS.page}`);
    const tabs = { polling: 2, conditional: 1, longpoll: 1, sse: 1, socket: 2 } as const;
    const pages: Page[] = [];
    for (const [mode, n] of Object.entries(tabs))
      for (let i = 0; i < n; i++) pages.push(await open(`${server().url}/${mode}`));
    const expected = { polling: 2, naive: 0, conditional: 1, longpoll: 1, sse: 1, socket: 2 };
    const shows = (want: object) => async () => {
      const now = await counts(view);
      return Object.entries(want).every(([id, n]) => now[id as TransportId] === n) || undefined;
    };
    await waitFor(shows(expected), { what: `the roster to show ${JSON.stringify(expected)}` });

    // Half the pollers switch to a socket: the roster and the socket's line follow (the pane's own picker).
    await pages[0]!.locator("select.mode-picker").selectOption("socket");
    await waitFor(shows({ polling: 1, socket: 3 }), { what: "1 poller and 3 sockets" });
  });

  it("its charts move when the bot posts", async () => {
    const view = await open(`${server().url}${CLASS_PATHS.page}`);
    await open(`${server().url}/longpoll`);
    await open(`${server().url}/socket`);
    await view.locator("figure[data-chart=requests][data-last]").waitFor();
    // Idle: the poll is held and nothing answers it (once the tabs' first requests are out of the window).
    await waitFor(async () => (await last(view, "requests")).longpoll === 0 || undefined, { what: "no long polls/s" });
    await view.locator("#class-bot-rate").fill("10");
    await view.locator("#class-bot").check();
    await waitFor(() => server().bot.rate === 10 || undefined, { what: "the bot at 10 msg/s" });
    // Every message answers the held poll and is pushed to the socket: long polls/s and the socket's bytes/s rise.
    await waitFor(async () => (await last(view, "requests")).longpoll! > 3 || undefined, { what: "long polls/s > 3" });
    await waitFor(async () => (await last(view, "bytesOut")).socket! > 300 || undefined, {
      what: "socket bytes/s > 300",
    });
    expect((await last(view, "cpu")).cpu).toBeGreaterThan(0);
    await view.locator("#class-bot").uncheck();
    await waitFor(() => server().bot.rate === 0 || undefined, { what: "the bot to stop" });
  });

  it("shows the LAN URL, and its QR code is the qrcode library's own for that URL", async () => {
    const view = await open(`${server().url}${CLASS_PATHS.page}`);
    expect(await view.locator(".join-url").textContent()).toBe(JOIN_URL);
    const drawn = await view
      .locator(".qr svg path")
      .evaluateAll((paths) => paths.map((path) => path.getAttribute("d")));
    const own = await QRCode.toString(JOIN_URL, { type: "svg", margin: 2 });
    expect(drawn).toEqual([...own.matchAll(/ d="([^"]+)"/g)].map((match) => match[1]));
    expect(drawn.join("").length).toBeGreaterThan(100);
  });
});

describe("a student's tab (from 127.0.0.2)", () => {
  let relay: Awaited<ReturnType<typeof studentRelay>>;
  beforeAll(async () => {
    relay = await studentRelay(server().port);
  });
  afterAll(async () => {
    await relay.close();
  });

  it("sees no control, and is refused (403) and changes nothing when it forces one", async () => {
    const view = await open(`${relay.url}${CLASS_PATHS.page}`);
    await view.locator(".roster").waitFor();
    await view.waitForTimeout(500); // the teacher check has answered by now (it precedes the roster's first reading)
    expect(await view.locator(".controls").count()).toBe(0);

    const chat = await open(`${relay.url}/?present`);
    await chat.locator("main .pane").first().waitFor();
    await chat.waitForTimeout(500);
    expect(await chat.locator("#bot").isVisible()).toBe(false);
    expect(await chat.locator("#present").isVisible()).toBe(false);
    expect(await chat.locator("aside.slides").count()).toBe(0);

    const forced = await chat.evaluate(
      async (paths) => {
        const statuses: number[] = [];
        for (const [path, body] of paths) {
          const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body });
          statuses.push(response.status, ((await response.json()) as { error?: string }).error ? 1 : 0);
        }
        return statuses;
      },
      [
        [CLASS_PATHS.bot, '{"rate":50}'],
        [CLASS_PATHS.lock, '{"locked":true}'],
        [CLASS_PATHS.newChat, "{}"],
      ],
    );
    expect(forced).toEqual([403, 1, 403, 1, 403, 1]);
    expect(server().bot.rate).toBe(0);
    expect(server().classroom.locked).toBe(false);
    expect(server().classroom.chatNumber).toBe(0);
  });
});
