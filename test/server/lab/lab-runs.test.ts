import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";
import { LAB_REQUEST_BURST, LAB_SOCKETS_PER_RUN, MAX_LAB_CODE_CHARS } from "../../../server/limits/lab-limits.ts";
import { CLASS_PATHS } from "../../../shared/class-protocol.ts";
import { LAB_PATHS, type LabProgress, type LabReport, type LabShownCode } from "../../../shared/lab.ts";
import { PATHS } from "../../../shared/protocol.ts";

// The lab's judge and guards, on the app alone (no port): the teacher's own machine (127.0.0.1) sends everything,
// as when the teacher runs a student's code on the projector; the lab's frame says `Origin: null`.
let address = "127.0.0.1";
const { app, chat, lab } = createApp({ chat: await createChat(), clientAddress: () => address });
const LAB_FRAME = { origin: "null" };
const json = (body: object, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const startRun = async (exercise: string, student = "student1", name = "Ayşe") =>
  ((await (await app.request(LAB_PATHS.runs, json({ exercise, student, name }))).json()) as { id: string }).id;
const report = async (id: string, body: object = { shown: [] }) =>
  (await (await app.request(LAB_PATHS.report.replace(":id", id), json(body))).json()) as LabReport;

describe("the lab's code is never the teacher", () => {
  it("Origin: null or a lab tag from the server's own machine: not the teacher, 403 on every control", async () => {
    const teacher = async (init: RequestInit, query = "") =>
      ((await (await app.request(`${CLASS_PATHS.teacher}${query}`, init)).json()) as { teacher: boolean }).teacher;
    expect(await teacher({})).toBe(true); // the projector's own page
    expect(await teacher({ headers: LAB_FRAME })).toBe(false);
    expect(await teacher({}, "?p=labzzzzzzzz.polling")).toBe(false);
    for (const path of [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat, LAB_PATHS.anonymous]) {
      const answer = await app.request(path, json({ rate: 5, locked: true, anonymous: true }, LAB_FRAME));
      expect(answer.status, path).toBe(403);
    }
  });

  it("/ws admits Origin: null only for a live run, and at most LAB_SOCKETS_PER_RUN sockets", async () => {
    const id = await startRun("connect");
    // No upgrader in this app: past the origin rule, /ws answers 426; refused, 403.
    expect((await app.request(`${PATHS.socket}`, { headers: LAB_FRAME })).status).toBe(403);
    expect((await app.request(`${PATHS.socket}?p=${id}.socket`, { headers: LAB_FRAME })).status).toBe(426);
    await report(id, { shown: [], stop: true });
    expect((await app.request(`${PATHS.socket}?p=${id}.socket`, { headers: LAB_FRAME })).status).toBe(403);
    expect(LAB_SOCKETS_PER_RUN).toBeGreaterThanOrEqual(1);
  });
});

describe("a run, judged from what the server saw", () => {
  it("records polls, ?since=, empty answers and the CORS answer for the lab's frame only; limits a flood", async () => {
    const id = await startRun("polling");
    const first = await app.request(`${PATHS.messages}?p=${id}.polling`, { headers: LAB_FRAME });
    expect(first.headers.get("access-control-allow-origin")).toBe("null");
    const history = (await first.json()) as { id: number }[];
    const last = history.at(-1)!.id;
    await app.request(`${PATHS.messages}?since=${last}&p=${id}.polling`, { headers: LAB_FRAME });
    // Not a lab run: no CORS answer for an opaque origin.
    const other = await app.request(PATHS.messages, { headers: LAB_FRAME });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    // show() repeated the first message: the checklist names it.
    const shown = [...history, history[0]!].map(({ id: messageId }) => ({ id: messageId, at: Date.now() }));
    const judged = await report(id, { shown });
    expect(judged.wire).toMatchObject({ polls: 2, withSince: 1, emptyAnswers: 1 });
    const repeats = judged.checks.find((check) => check.key === "no-repeats")!;
    expect(repeats).toMatchObject({ ok: false, figures: { worstId: history[0]!.id, worstTimes: 2 } });
    expect(judged.passed).toBe(false);

    let limited = 0;
    for (let i = 0; i < LAB_REQUEST_BURST + 5; i++)
      if ((await app.request(`${PATHS.messages}?p=${id}.polling`, { headers: LAB_FRAME })).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
    expect((await report(id)).wire.limits).toContain("LAB_REQUESTS_PER_SECOND");
  });

  it("fetch once: the answer shown once each passes; a message stored later is counted as never shown", async () => {
    const id = await startRun("fetch-once", "student2", "Deniz");
    const answer = (await (await app.request(`${PATHS.messages}?p=${id}.naive`, { headers: LAB_FRAME })).json()) as {
      id: number;
    }[];
    await chat.post({ user: "bot", text: "later" });
    const judged = await report(id, { shown: answer.map(({ id: m }) => ({ id: m, at: Date.now() })), stop: true });
    expect(judged.passed).toBe(true);
    expect(judged.checks.find((check) => check.key === "never-new")!.figures.later).toBe(1);
  });
});

describe("the class view's progress", () => {
  it("counts who tried and passed each step; anonymous hides every name, and only the teacher may switch it", async () => {
    const progress = async () => (await (await app.request(LAB_PATHS.progress)).json()) as LabProgress;
    const before = await progress();
    expect(before.steps.find((s) => s.step === 1)).toMatchObject({ tried: 1, passed: 1 });
    expect(before.steps.find((s) => s.step === 2)).toMatchObject({ tried: 1, passed: 0 });
    expect(before.students.map((s) => s.name)).toContain("Deniz");
    address = "127.0.0.2"; // a student's machine
    expect((await app.request(LAB_PATHS.anonymous, json({ anonymous: true }))).status).toBe(403);
    address = "127.0.0.1";
    expect((await app.request(LAB_PATHS.anonymous, json({ anonymous: true }))).status).toBe(200);
    expect((await progress()).students.every((s) => s.name === null)).toBe(true);
    expect(lab.anonymous).toBe(true);
  });
});

describe("the teacher shows one student's code on the projector", () => {
  it("the teacher reads a student's last code and verdict; a student, the lab's code and a stranger get 403", async () => {
    address = "127.0.0.2"; // the student's machine
    const code = 'fetch("http://localhost:8000/messages").then((r) => r.json()).then((all) => all.forEach(show));';
    const id = (
      (await (
        await app.request(LAB_PATHS.runs, json({ exercise: "fetch-once", student: "student3", name: "Elif", code }))
      ).json()) as { id: string }
    ).id;
    await app.request(`${PATHS.messages}?p=${id}.naive`, { headers: LAB_FRAME });
    const handle = ((await (await app.request(LAB_PATHS.progress)).json()) as LabProgress).students.find(
      (s) => s.handle && lab.shownCode(s.handle)?.code === code,
    )!.handle;
    const path = LAB_PATHS.student.replace(":handle", handle);
    expect((await app.request(path)).status).toBe(403); // another student may not read it

    address = "127.0.0.1"; // the projector's laptop
    const answer = await app.request(path);
    expect(answer.status).toBe(200);
    const shown = (await answer.json()) as LabShownCode;
    expect(shown).toMatchObject({ exercise: "fetch-once", code, report: { id, wire: { polls: 1 } } });
    // The lab's code, even on the teacher's own machine: never the teacher.
    expect((await app.request(path, { headers: LAB_FRAME })).status).toBe(403);
    expect((await app.request(`${path}?p=${id}.naive`)).status).toBe(403);
    expect((await app.request(LAB_PATHS.student.replace(":handle", "s999999"))).status).toBe(404);
    const tooLong = json({ exercise: "connect", student: "student3", code: "x".repeat(MAX_LAB_CODE_CHARS + 1) });
    const refused = await app.request(LAB_PATHS.runs, tooLong);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain("MAX_LAB_CODE_CHARS");
  });
});

describe("a restart keeps the lab (server/node/kept-state.ts)", () => {
  it("a run still running goes on under its id, its socket counted as cut; stopped runs are not kept", async () => {
    const running = await startRun("restart", "student4", "Can");
    const stopped = await startRun("connect", "student4", "Can");
    await report(stopped, { shown: [], stop: true });
    const snapshot = JSON.parse(JSON.stringify(lab.snapshot()));
    const after = createApp({ chat: await createChat(), clientAddress: () => "127.0.0.1" });
    after.lab.restore(snapshot);
    const answer = await after.app.request(LAB_PATHS.report.replace(":id", running), json({ shown: [] }));
    expect(answer.status).toBe(200);
    const stoppedAfter = await after.app.request(LAB_PATHS.report.replace(":id", stopped), json({ shown: [] }));
    expect(stoppedAfter.status).toBe(404);
    expect(after.lab.progress()).toEqual(lab.progress()); // who passed what, and the anonymous switch as it was
  });
});
