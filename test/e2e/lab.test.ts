import type { Page } from "playwright";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { LAB_PATHS, type ExerciseId } from "../../shared/lab.ts";
import { useBrowser } from "../support/browser.ts";
import { postMessage, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// The lab (/lab) in real Chromium: a student types a solution into the editor, runs it in the sandboxed frame, and
// the checklist turns green or red from what the server measured of that run. Every test runs in the browser of the
// server's own machine (127.0.0.1), the one the server takes for the teacher's: the lab's code must still not be.
const server = useServer();
// Each test drives several tabs for a few seconds of real polling: on a busy machine that takes a while.
vi.setConfig({ testTimeout: 90_000 });

beforeAll(async () => {
  await fetch(`${server().url}/lab.js`); // the lab's bundle, built once before the first tab waits for it
}, 60_000);
const open = useBrowser();

type Checklist = Record<string, { ok: boolean; text: string }>;

/**
 * Opens an exercise, types `code` over the lesson's, runs it (`during` alongside) until the checklist shows `until`
 * (a CSS selector under `.checklist`) or for `ms`, stops, and reads the final checklist.
 */
async function runLab(
  page: Page,
  exercise: ExerciseId,
  code: string,
  { ms = 1500, during, until }: { ms?: number; during?: () => Promise<unknown>; until?: string } = {},
): Promise<Checklist> {
  page.setDefaultTimeout(45_000);
  await page.goto(`${server().url}${LAB_PATHS.page}?exercise=${exercise}`);
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(code);
  await page.locator("#lab-run").click();
  await page.locator(".checklist li").first().waitFor();
  await during?.();
  if (until) {
    // On a timeout, say which criteria were still red: the checklist as the student saw it.
    await page
      .locator(`.checklist${until}`)
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (error: Error) => {
        const red = Object.entries(await checklist(page)).filter(([, c]) => !c.ok);
        throw new Error(`${error.message}\nstill red: ${JSON.stringify(red)}`);
      });
  } else await page.waitForTimeout(ms);
  await page.locator("#lab-stop").click();
  await page.locator("body[data-stopped]").waitFor();
  return checklist(page);
}

const checklist = (page: Page) =>
  page
    .locator(".checklist li")
    .evaluateAll((items) =>
      Object.fromEntries(
        items.map((item) => [
          (item as HTMLElement).dataset.key,
          { ok: (item as HTMLElement).dataset.ok === "true", text: item.textContent ?? "" },
        ]),
      ),
    ) as Promise<Checklist>;

const post = (n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => postMessage(server().url, { user: "lab-test", text: `m${i}` })));

const FETCH_ONCE = `async function renderMessages() {
  const response = await fetch("http://localhost:8000/messages");
  const messages = await response.json();
  for (const message of messages) show(message);
}
renderMessages();`;

const POLL_WITH_SINCE = `let lastId = 0;
async function renderMessages() {
  const response = await fetch("http://localhost:8000/messages?since=" + lastId);
  const messages = await response.json();
  for (const message of messages) {
    show(message);
    lastId = message.id;
  }
}
renderMessages();
setInterval(renderMessages, 1000);`;

const CONNECT = `function connect() {
  const socket = new WebSocket("ws://localhost:8000/ws");
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id !== undefined) show(message);
  };
  socket.onopen = () => socket.send(JSON.stringify({ user: "lab", text: "hello from connect()" }));
}
connect();`;

describe("the lab's exercises, judged from the wire", () => {
  it("1 fetch once: once is green with its figures; fetching three times shows the failing criterion", async () => {
    const [good, bad] = await Promise.all([open("about:blank"), open("about:blank")]);
    const [right, wrong] = await Promise.all([
      runLab(good, "fetch-once", FETCH_ONCE, { during: () => post(2) }),
      runLab(
        bad,
        "fetch-once",
        FETCH_ONCE.replace("renderMessages();", "renderMessages(); renderMessages(); renderMessages();"),
      ),
    ]);
    expect(right["fetched-once"]).toMatchObject({ ok: true });
    expect(right["fetched-once"]!.text).toMatch(/fetched once in \d+ s/);
    expect(right["shown-answer"]!.ok).toBe(true);
    expect(right["never-new"]!.text).toMatch(/\d+ messages arrived later and never appeared/);
    expect(wrong["fetched-once"]).toMatchObject({ ok: false });
    expect(wrong["fetched-once"]!.text).toMatch(/fetched 3× in \d+ s/);
    expect(wrong["shown-answer"]!.text).toMatch(/repeats/);
  });

  it("2 the polling loop: the lesson's loop repeats messages; with ?since= every criterion is green", async () => {
    const [good, bad] = await Promise.all([open("about:blank"), open("about:blank")]);
    const during = async () => {
      for (let i = 0; i < 3; i++) {
        await post(1);
        await good.waitForTimeout(700);
      }
    };
    // The wrong one is the lesson's own loop, as the lab gives it (the editor's starting code).
    await bad.goto(`${server().url}${LAB_PATHS.page}?exercise=polling`);
    const lesson = await bad.locator(".cm-content").innerText();
    const [right, wrong] = await Promise.all([
      runLab(good, "polling", POLL_WITH_SINCE, { until: "[data-passed=true]", during }),
      runLab(bad, "polling", lesson, { until: ' li[data-key="polls-every-second"][data-ok="true"]', during }),
    ]);
    for (const key of ["polls-every-second", "uses-since", "no-repeats", "none-missing"])
      expect(right[key], `${key}: ${right[key]?.text}`).toMatchObject({ ok: true });
    // The spacing is the server's median gap, which the criterion judges (server/lab/checks.ts); a busy machine moves it.
    expect(right["polls-every-second"]!.text).toMatch(/polled [3-6]× in \d+ s, every \d{3,4} ms/);
    expect(right["none-missing"]!.text).toMatch(/(\d+) of \1 messages shown/);
    expect(right["empty-answers"]!.text).toMatch(/\d+ empty answers of \d+; \d+ B sent, \d+ B received/);
    expect(wrong["uses-since"]).toMatchObject({ ok: false });
    expect(wrong["no-repeats"]!.ok).toBe(false);
    expect(wrong["no-repeats"]!.text).toMatch(/polled without \?since=: message #\d+ shown ([3-9]|\d\d)×/);
  });

  it("3 connect(): one socket that shows and sends is green; polling beside a silent socket is red", async () => {
    const [good, bad] = await Promise.all([open("about:blank"), open("about:blank")]);
    const silent = `function connect() {
  const socket = new WebSocket("ws://localhost:8000/ws");
  setInterval(() => fetch("http://localhost:8000/messages").then((r) => r.json()).then((all) => all.forEach(show)), 500);
}
connect();`;
    const [right, wrong] = await Promise.all([
      runLab(good, "connect", CONNECT, { until: "[data-passed=true]" }),
      runLab(bad, "connect", silent, { until: ' li[data-key="no-polls"][data-ok="false"]' }),
    ]);
    for (const key of ["one-socket", "no-polls", "shows-each", "sends"])
      expect(right[key], `${key}: ${right[key]?.text}`).toMatchObject({ ok: true });
    expect(right["shows-each"]!.text).toMatch(/(\d+) of \1 messages shown once, latency \d+ ms/);
    expect(wrong["no-polls"]).toMatchObject({ ok: false });
    expect(wrong["no-polls"]!.text).toMatch(/\d+ polls beside the socket/);
    expect(wrong.sends!.text).toBe("✗ Send with itnothing sent on the socket");
  });
});

describe("the lab's code is not the teacher's, even in the teacher's browser", () => {
  it("every teacher route answers 403 to it; the page's storage is out of its reach", async () => {
    const page = await open("about:blank");
    const routes = [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat, LAB_PATHS.anonymous];
    const attack = `const routes = ${JSON.stringify(routes)};
for (const route of routes) {
  // A simple request (no preflight), as a script would send it: text/plain, the JSON in its body.
  fetch("http://localhost:8000" + route, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: '{"rate":50,"locked":true,"anonymous":true}' });
}
try { localStorage.getItem("teacher-token"); show({ text: "storage: readable" }); } catch { show({ text: "storage: blocked" }); }
try { parent.document.title; show({ text: "parent: readable" }); } catch { show({ text: "parent: blocked" }); }`;
    const before = { rate: server().bot.rate, locked: server().classroom.locked, chat: server().classroom.chatNumber };
    await page.goto(`${server().url}${LAB_PATHS.page}?exercise=fetch-once`);
    const report = page.waitForResponse(async (response) => {
      if (!response.url().includes("/report")) return false;
      return ((await response.json()) as { wire: { refused: string[] } }).wire.refused.length === routes.length;
    });
    await page.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(attack);
    await page.locator("#lab-run").click();
    const refused = ((await (await report).json()) as { wire: { refused: string[] } }).wire.refused;
    expect(refused.sort()).toEqual(routes.map((route) => `POST ${route} 403`).sort());
    const frame = page.frameLocator(".output iframe");
    await expect.poll(() => frame.locator("#messages").textContent()).toContain("storage: blocked");
    expect(await frame.locator("#messages").textContent()).toContain("parent: blocked");
    expect({ rate: server().bot.rate, locked: server().classroom.locked, chat: server().classroom.chatNumber }).toEqual(
      before,
    );
    expect(server().lab.anonymous).toBe(false);
  });
});

describe("bad input from the lab's code", () => {
  it("a flood of requests and 500 sockets hit the lab's limits, which the lab names; an endless loop is stopped", async () => {
    const page = await open("about:blank");
    const flood = await runLab(
      page,
      "polling",
      `for (let i = 0; i < 200; i++) fetch("http://localhost:8000/messages?since=0").catch(() => {});`,
    );
    expect(flood.limit).toMatchObject({ ok: false });
    expect(flood.limit!.text).toContain("LAB_REQUESTS_PER_SECOND");
    const sockets = await runLab(
      page,
      "connect",
      `for (let i = 0; i < 500; i++) new WebSocket("ws://localhost:8000/ws");`,
    );
    expect(sockets.limit!.text).toContain("LAB_SOCKETS_PER_RUN");
    expect(server().hub.sockets.size).toBeLessThanOrEqual(3);

    // An endless loop: the page stays usable and Stop removes the frame with the code.
    await runLab(page, "fetch-once", "while (true) {}", { ms: 300 });
    expect(await page.locator(".output iframe").count()).toBe(0);
    expect(await page.locator("#lab-run").isEnabled()).toBe(true);
  });
});

describe("the class view", () => {
  it("shows per step how many students passed, with their names or anonymous", { timeout: 150_000 }, async () => {
    const view = await open(`${server().url}${CLASS_PATHS.page}`);
    const step1 = view.locator(".lab-steps li[data-step='1']");
    const figures = async () => [
      Number(await step1.getAttribute("data-passed")),
      Number(await step1.getAttribute("data-tried")),
    ];
    await step1.waitFor();
    // Earlier tests of this file ran the lab too, as students of their own: these two add to what is counted.
    const [passed, tried] = await figures();
    const names = ["Ayşe", "Mehmet"];
    await Promise.all(
      names.map(async (name, i) => {
        const student = await open("about:blank");
        student.setDefaultTimeout(45_000);
        await student.goto(`${server().url}${LAB_PATHS.page}`);
        await student.locator("#lab-name").fill(name);
        await student.locator("#lab-name").dispatchEvent("change");
        if (i === 0) await runLab(student, "fetch-once", FETCH_ONCE, { until: "[data-passed=true]" });
        else await runLab(student, "fetch-once", "renderMessages = 1;");
      }),
    );
    await waitFor(async () => (await figures()).join("/") === `${passed! + 1}/${tried! + 2}` || undefined, {
      what: "one more passed, two more tried",
      timeoutMs: 30_000,
    });
    expect(await step1.textContent()).toContain(`${passed! + 1} of ${tried! + 2} passed`);
    const listed = await view.locator(".lab-names").textContent();
    expect(listed).toContain("Ayşe ✓1");
    expect(listed).toContain("Mehmet");
    await view.locator("#lab-anonymous").check();
    await waitFor(async () => !(await view.locator(".lab-names").textContent())?.includes("Ayşe") || undefined, {
      what: "the names hidden",
      timeoutMs: 30_000,
    });
  });
});
