import { describe, expect, it } from "vitest";
import { useBrowser } from "../support/browser.ts";
import { postMessage, uniqueText, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// Issue 23 row 8, as a person sees it: the server's messages carry a badge no typed name can copy, in both languages.
const server = useServer();
const open = useBrowser();

describe("the server's mark on a message", () => {
  it("shows 'server' / 'sunucu' beside the server's message, nothing beside a student named 'teacher'", async () => {
    const page = await open(`${server().url}/`);
    // From this test's process the post comes from 127.0.0.1, the teacher's machine: marked teacher.
    const teacherText = uniqueText("from the teacher");
    await postMessage(server().url, { user: "Ms A", text: teacherText });
    const student = await server().chat.post({ user: "teacher", text: uniqueText("posing") }); // no mark: a student's
    const item = (text: string) => page.locator(".pane").first().locator(".messages li", { hasText: text });
    await waitFor(async () => (await item(student.text).count()) > 0, { what: "the student's message" });
    await waitFor(async () => (await item(teacherText).count()) > 0, { what: "the teacher's message" });
    expect(await item("first message").locator(".sender").textContent()).toBe("server");
    expect(await item(teacherText).locator(".sender").textContent()).toBe("teacher");
    expect(await item(student.text).locator(".sender").count()).toBe(0);
    await page.locator("#language").selectOption("tr");
    expect(await item("first message").locator(".sender").textContent()).toBe("sunucu");
    expect(await item(teacherText).locator(".sender").textContent()).toBe("öğretmen");
  });
});
