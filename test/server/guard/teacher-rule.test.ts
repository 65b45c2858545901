import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { TEACHER_HEADER } from "../../../shared/class-protocol.ts";
import { newTeacherToken, teacherOnly, teacherRule } from "../../../server/guard/teacher-rule.ts";

describe("teacherRule", () => {
  const token = newTeacherToken();
  const app = (address: string) => {
    const routes = new Hono();
    routes.post("/control", teacherOnly(teacherRule(token, () => address)), (c) => c.json({ done: true }));
    return routes;
  };
  const post = (address: string, headers: Record<string, string> = {}) =>
    app(address).request("/control", { method: "POST", headers });

  it("takes the server's own machine's exact loopback addresses for the teacher, not all of 127.0.0.0/8", async () => {
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) expect((await post(address)).status).toBe(200);
    for (const address of ["127.0.0.2", "127.1.2.3", "192.168.1.20", "local", "unknown"]) {
      const answer = await post(address);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({ error: expect.stringMatching(/only the teacher/), code: "teacher-only" });
    }
  });

  it("takes anyone with the token for the teacher; a wrong or missing token is not", async () => {
    expect((await post("192.168.1.20", { [TEACHER_HEADER]: token })).status).toBe(200);
    expect((await post("192.168.1.20", { [TEACHER_HEADER]: token.slice(0, -1) })).status).toBe(403);
    expect((await post("192.168.1.20", { [TEACHER_HEADER]: "" })).status).toBe(403);
  });

  it("makes a fresh 128-bit token each time", () => {
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(newTeacherToken()).not.toBe(token);
  });
});
