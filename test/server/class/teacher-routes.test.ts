import { afterEach, describe, expect, it } from "vitest";
import { CLASS_PATHS, TEACHER_HEADER } from "../../../shared/class-protocol.ts";
import { LOCKED_ERROR } from "../../../server/class/room-state.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { requestFrom } from "../../support/student.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

// Each teacher control, as a student's machine (127.0.0.2), as another origin's page, and as the teacher: a student
// gets 403 JSON and changes nothing; the teacher (the server's own machine, or the token) gets through.
const server = useServer({ hostname: "0.0.0.0" });
const url = (path: string) => `http://127.0.0.1:${server().port}${path}`;
const json = { "content-type": "application/json" };

/** Each control, what it sends, and the state it would change. */
const CONTROLS = [
  { path: CLASS_PATHS.bot, body: { rate: 50 }, state: () => server().bot.rate },
  { path: CLASS_PATHS.lock, body: { locked: true }, state: () => server().classroom.locked },
  { path: CLASS_PATHS.newChat, body: {}, state: () => server().classroom.chatNumber },
] as const;

afterEach(() => {
  server().bot.stop();
  server().classroom.locked = false;
});

describe.each(CONTROLS)("POST $path", ({ path, body, state }) => {
  const post = (headers: Record<string, string>, localAddress?: string, payload = JSON.stringify(body)) =>
    requestFrom(url(path), { method: "POST", headers, body: payload, localAddress });

  it("from a student's machine: 403 JSON, nothing changed", async () => {
    const before = state();
    const answer = await post(json);
    expect(answer).toEqual({
      status: 403,
      body: { error: expect.stringMatching(/only the teacher/), code: "teacher-only" },
    });
    expect(state()).toBe(before);
    // A wrong token is no better.
    expect((await post({ ...json, [TEACHER_HEADER]: "0".repeat(32) })).status).toBe(403);
    expect(state()).toBe(before);
  });

  it("from a student's machine with the teacher's token: done", async () => {
    const before = state();
    const answer = await post({ ...json, [TEACHER_HEADER]: server().teacherToken });
    expect(answer.status).toBe(200);
    expect(state()).not.toBe(before);
  });

  it("from the server's own machine (127.0.0.1): done", async () => {
    const before = state();
    expect((await post(json, "127.0.0.1")).status).toBe(200);
    expect(state()).not.toBe(before);
  });

  it("from a page on another origin, even on the teacher's machine: 403, nothing changed", async () => {
    const before = state();
    const answer = await post({ ...json, origin: "http://evil.example" }, "127.0.0.1");
    expect(answer).toEqual({
      status: 403,
      body: { error: expect.stringMatching(/origin http:\/\/evil.example/), code: "origin-refused" },
    });
    expect(state()).toBe(before);
  });

  it('as fetch(…, { mode: "no-cors" }) sends it, text/plain: 415, nothing changed', async () => {
    // Issue 14 item 7: a foreign page set the bot to 50 msg/s this way. With or without its Origin, refused.
    const before = state();
    for (const origin of [{ origin: "http://evil.example" }, {}] as Record<string, string>[]) {
      const answer = await post({ "content-type": "text/plain;charset=UTF-8", ...origin }, "127.0.0.1");
      expect(answer.status).toBeGreaterThanOrEqual(403);
      expect(answer.body).toEqual({ error: expect.any(String), code: expect.any(String) });
    }
    expect((await post({ "content-type": "text/plain;charset=UTF-8" }, "127.0.0.1")).status).toBe(415);
    expect(state()).toBe(before);
  });
});

describe("POST /messages", () => {
  it("from a page on another origin: 403, nothing stored", async () => {
    const text = uniqueText("foreign");
    const answer = await requestFrom(url("/messages"), {
      method: "POST",
      headers: { ...json, origin: "http://evil.example" },
      body: JSON.stringify({ user: "x", text }),
    });
    expect(answer.status).toBe(403);
    expect((await server().chat.since(0)).some((m) => m.text === text)).toBe(false);
  });
});

describe("GET /class/teacher", () => {
  it("tells the teacher's browser from a student's", async () => {
    expect((await requestFrom(url(CLASS_PATHS.teacher))).body).toEqual({ teacher: false });
    expect((await requestFrom(url(CLASS_PATHS.teacher), { localAddress: "127.0.0.1" })).body).toEqual({
      teacher: true,
    });
    const withToken = await requestFrom(url(CLASS_PATHS.teacher), {
      headers: { [TEACHER_HEADER]: server().teacherToken },
    });
    expect(withToken.body).toEqual({ teacher: true });
  });
});

describe("the lock on sending", () => {
  it("refuses a student's POST /messages and socket frames while locked; the teacher still posts", async () => {
    server().classroom.locked = true;
    const text = uniqueText("locked out");
    const refused = await requestFrom(url("/messages"), {
      method: "POST",
      headers: json,
      body: JSON.stringify({ user: "student", text }),
    });
    expect(refused).toEqual({ status: 403, body: { error: LOCKED_ERROR, code: "locked" } });

    const student = await SocketClient.open(url(""), "", { localAddress: "127.0.0.2" });
    student.socket.send(JSON.stringify({ user: "student", text }));
    await waitFor(
      () => student.frames.some((frame) => "error" in frame && frame.error === LOCKED_ERROR && frame.code === "locked"),
      {
        what: "the lock's error frame",
      },
    );
    expect(student.socket.readyState).toBe(student.socket.OPEN); // told, not cut off

    const teacherText = uniqueText("teacher");
    await postMessage(url(""), { user: "teacher", text: teacherText }); // from 127.0.0.1
    const teacherSocket = await SocketClient.open(url(""));
    teacherSocket.socket.send(JSON.stringify({ user: "teacher", text: `${teacherText} again` }));
    await waitFor(() => student.messages.some((m) => m.text === `${teacherText} again`), {
      what: "the teacher's frame",
    });
    expect((await server().chat.since(0)).some((m) => m.text === text)).toBe(false);

    server().classroom.locked = false;
    student.socket.send(JSON.stringify({ user: "student", text }));
    await waitFor(() => student.messages.some((m) => m.text === text), { what: "the student's post once unlocked" });
    student.socket.close();
    teacherSocket.socket.close();
  });
});
