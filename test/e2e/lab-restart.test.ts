import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright";
import { afterAll, describe, expect, it } from "vitest";
import { LAB_PATHS, type LabReport } from "../../shared/lab.ts";
import { useBrowser } from "../support/browser.ts";
import { killMain, startMain, type MainProcess } from "../support/main-process.ts";
import { postMessage } from "../support/server.ts";

// Exercise 4 against a real restart: `npm start` (server/node/node-main.ts) stopped with Ctrl+C's SIGTERM and started
// again on the same port and data directory while a student's code runs in the lab's frame. The verdict is the
// server's: the run's sockets as it saw them on both sides of the restart, the messages it stored, what show() got.
let main: MainProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), "lab-restart-"));
afterAll(async () => {
  await killMain(main);
  rmSync(dir, { recursive: true, force: true });
});
const open = useBrowser();

/** Reconnects after a close, with ?since= the last id shown: nothing missing, nothing twice. */
const RESUMES = `let lastId = 0;
function connect() {
  const socket = new WebSocket("ws://localhost:8000/ws?since=" + lastId);
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id === undefined) return; // { epoch }, an error or a heartbeat: not a message
    show(message);
    lastId = message.id;
  };
  socket.onclose = () => setTimeout(connect, 300);
}
connect();`;
/** Reconnects too, but without ?since=: the history comes again, and each earlier message is shown twice. */
const FORGETS = RESUMES.replace(`"ws://localhost:8000/ws?since=" + lastId`, `"ws://localhost:8000/ws"`);

async function start(page: Page, code: string) {
  page.setDefaultTimeout(60_000);
  await page.goto(`${main!.url}${LAB_PATHS.page}?exercise=restart`);
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(code);
  await page.locator("#lab-run").click();
  await page.frameLocator(".output iframe").locator("#messages div").first().waitFor(); // the history is shown
}

/** Waits for a report of this page's run that satisfies `until`, presses Stop, and reads the stopped run's verdict. */
async function judged(page: Page, until: (report: LabReport) => boolean): Promise<LabReport> {
  await page.waitForResponse(
    async (response) => response.url().includes("/report") && until((await response.json()) as LabReport),
    { timeout: 90_000 },
  );
  await page.locator("#lab-stop").click();
  const id = await page.locator("body[data-stopped]").getAttribute("data-stopped");
  const answer = await fetch(`${main!.url}${LAB_PATHS.report.replace(":id", id!)}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: main!.url },
    body: JSON.stringify({ shown: [] }),
  });
  return (await answer.json()) as LabReport;
}

const post = async (texts: string[]) => {
  for (const text of texts) await postMessage(main!.url, { user: "lab-restart", text });
};

describe("exercise 4 across a real restart of the server", () => {
  it("code that resumes with ?since= is green, judged as one run on both sides; without it, the repeats are named", async () => {
    main = await startMain(["--port", "0", "--data", dir]);
    await fetch(`${main.url}/lab.js`); // the lab's bundle, built before the tabs wait for it
    const [good, bad] = await Promise.all([open("about:blank"), open("about:blank")]);
    await Promise.all([start(good, RESUMES), start(bad, FORGETS)]);
    await post(["before 1", "before 2"]);
    await good.waitForTimeout(1500); // a report carries those shows to the server before it stops

    const port = main.port;
    main.child.kill("SIGTERM"); // Ctrl+C: the lab's runs are kept in the data directory
    expect((await main.exited).code).toBe(0);
    main = await startMain(["--port", String(port), "--data", dir]);
    await post(["after 1", "after 2"]);

    const back = (report: LabReport) => report.wire.openSockets === 1 && report.wire.upgrades >= 2;
    const right = await judged(good, (report) => report.passed);
    const wrong = await judged(bad, (report) => back(report) && report.checks.some((c) => c.figures.repeats));
    const check = (report: LabReport, key: string) => report.checks.find((c) => c.key === key)!;

    // The run goes on under its id: the socket before the restart and the one after are both counted to it.
    expect(right.wire).toMatchObject({ upgrades: 2, maxOpenSockets: 1, polls: 0 });
    expect(check(right, "reconnects")).toMatchObject({ ok: true, figures: { cuts: 1, upgrades: 2 } });
    const shown = check(right, "shows-each");
    expect(shown.ok).toBe(true);
    expect(shown.figures).toMatchObject({ missing: 0, repeats: 0 });
    expect(shown.figures.expected).toBeGreaterThanOrEqual(4); // two posted before the restart, two after
    expect(right.passed).toBe(true);

    expect(check(wrong, "reconnects").ok).toBe(true); // it did come back…
    expect(check(wrong, "shows-each").ok).toBe(false); // …with the history again
    expect(Number(check(wrong, "shows-each").figures.repeats)).toBeGreaterThanOrEqual(2);
    expect(wrong.passed).toBe(false);
    // Shown on the page as the failing criterion, with its figures.
    await expect
      .poll(() => bad.locator('.checklist li[data-key="shows-each"]').textContent())
      .toMatch(/0 of \d+ missing, \d+ repeats/);
  }, 240_000);
});
