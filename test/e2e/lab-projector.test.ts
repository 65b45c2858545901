import { beforeAll, describe, expect, it, vi } from "vitest";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { LAB_PATHS } from "../../shared/lab.ts";
import { useBrowser } from "../support/browser.ts";
import { useServer } from "../support/server.ts";

// The teacher's "show the code": a student's code, chosen in the class view, shown in the lab on the projector, the
// server's own machine (127.0.0.1), which it takes for the teacher's. That is where the lab's one threat lies: the
// code shown is the student's, and run there it must still reach no teacher route (issue 26).
const server = useServer();
vi.setConfig({ testTimeout: 120_000 });
beforeAll(async () => {
  await fetch(`${server().url}/lab.js`); // the lab's bundle, built once before the tabs wait for it
}, 60_000);
const open = useBrowser();

const ROUTES = [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat, LAB_PATHS.anonymous];
/** A student's code that tries every teacher control, as a simple request (no preflight), and the teacher's token. */
const ATTACK = `const routes = ${JSON.stringify(ROUTES)};
for (const route of routes) {
  fetch("http://localhost:8000" + route, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: '{"rate":50,"locked":true,"anonymous":true}' });
}
try { localStorage.getItem("teacher-token"); show({ text: "storage: readable" }); } catch { show({ text: "storage: blocked" }); }`;

describe("the teacher shows a student's code on the projector", () => {
  it("the class view's link shows the code, whose it is and its verdict; run there, it gets 403 from every teacher route", async () => {
    const student = await open(`${server().url}${LAB_PATHS.page}?exercise=fetch-once`);
    await student.locator("#lab-name").fill("Zeynep");
    await student.locator("#lab-name").dispatchEvent("change");
    await student.locator(".cm-content").click();
    await student.keyboard.press("ControlOrMeta+a");
    await student.keyboard.insertText(ATTACK);
    await student.locator("#lab-run").click();
    await student.locator(".checklist li").first().waitFor();
    await student.locator("#lab-stop").click();
    await student.locator("body[data-stopped]").waitFor();

    const before = { rate: server().bot.rate, locked: server().classroom.locked, chat: server().classroom.chatNumber };
    const view = await open(`${server().url}${CLASS_PATHS.page}`);
    const entry = view.locator(".lab-names li", { hasText: "Zeynep" });
    await entry.locator("a.lab-show").click(); // the teacher's control: only the teacher's class view has it
    const projector = view;
    await projector.waitForURL(/\/lab\?show=s\d+/);
    await expect.poll(() => projector.locator(".shown").textContent()).toContain("Zeynep's code");
    expect(await projector.locator(".cm-content").textContent()).toContain("teacher-token");
    expect(await projector.locator('.checklist li[data-key="fetched-once"]').count()).toBe(1); // its verdict
    // Not kept as the teacher's own code for that exercise.
    expect(await projector.evaluate(() => localStorage.getItem("lab-code-fetch-once") ?? "")).not.toContain(
      "teacher-token",
    );

    // Run on the teacher's machine: the sandboxed frame, the lab's tag; the server takes none of it for the teacher.
    const refused = projector.waitForResponse(async (response) => {
      if (!response.url().includes("/report")) return false;
      return ((await response.json()) as { wire: { refused: string[] } }).wire.refused.length === ROUTES.length;
    });
    await projector.locator("#lab-run").click();
    const wire = ((await (await refused).json()) as { wire: { refused: string[] } }).wire;
    expect(wire.refused.sort()).toEqual(ROUTES.map((route) => `POST ${route} 403`).sort());
    const frame = projector.frameLocator(".output iframe");
    await expect.poll(() => frame.locator("#messages").textContent()).toContain("storage: blocked");
    await projector.locator("#lab-stop").click();
    expect({ rate: server().bot.rate, locked: server().classroom.locked, chat: server().classroom.chatNumber }).toEqual(
      before,
    );
    expect(server().lab.anonymous).toBe(false);

    // A student's class view has no such link, and the route itself refuses them (test/server/lab/lab-runs.test.ts).
    const handle = new URL(projector.url()).searchParams.get("show")!;
    const asLab = await fetch(`${server().url}${LAB_PATHS.student.replace(":handle", handle)}`, {
      headers: { origin: "null" },
    });
    expect(asLab.status).toBe(403);
  });
});
