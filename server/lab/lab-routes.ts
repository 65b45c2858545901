import { Hono, type Context, type MiddlewareHandler } from "hono";
import {
  EXERCISES,
  LAB_PATHS,
  type LabProgress,
  type LabReport,
  type LabShownCode,
  type Shown,
} from "../../shared/lab.ts";
import { MAX_USER_LENGTH, type ErrorBody } from "../../shared/protocol.ts";
import { requireJson } from "../guard/content-type.ts";
import { teacherOnly } from "../guard/teacher-rule.ts";
import { MAX_LAB_CODE_CHARS } from "../limits/lab-limits.ts";
import type { LabRuns } from "./lab-runs.ts";

/** A student's id, made by their lab page and kept in its localStorage: who passed which step, across runs. */
const STUDENT_ID = /^[0-9a-z]{6,32}$/;

const isShown = (entry: unknown): entry is Shown =>
  typeof entry === "object" &&
  entry !== null &&
  (typeof (entry as Shown).id === "number" || (entry as Shown).id === null) &&
  typeof (entry as Shown).at === "number";

/**
 * The lab's own routes, for the lab page (its own origin: `allowOrigin` and JSON, as every state-changing route)
 * and the class view. The student's code never calls these: its frame's `Origin: null` is refused here.
 */
export function labRoutes(runs: LabRuns, allowOrigin: MiddlewareHandler, isTeacher: (c: Context) => boolean): Hono {
  const routes = new Hono();
  routes.post("/lab/*", allowOrigin, requireJson());

  routes.post(LAB_PATHS.runs, async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      exercise?: unknown;
      student?: unknown;
      name?: unknown;
      code?: unknown;
    };
    const { exercise, student, name, code } = body ?? {};
    if (typeof exercise !== "string" || !Object.hasOwn(EXERCISES, exercise))
      return c.json<ErrorBody>(
        { error: `exercise must be one of ${Object.keys(EXERCISES).join(", ")}`, code: "bad-request" },
        400,
      );
    if (typeof student !== "string" || !STUDENT_ID.test(student))
      return c.json<ErrorBody>(
        { error: "student must be 6 to 32 lowercase letters or digits", code: "bad-request" },
        400,
      );
    if (code !== undefined && (typeof code !== "string" || code.length > MAX_LAB_CODE_CHARS))
      return c.json<ErrorBody>(
        {
          error: `code must be text of at most ${MAX_LAB_CODE_CHARS} characters (MAX_LAB_CODE_CHARS)`,
          code: "bad-request",
        },
        400,
      );
    const shownName = typeof name === "string" && name.trim() ? name.trim().slice(0, MAX_USER_LENGTH) : student;
    return c.json({ id: runs.start(exercise as keyof typeof EXERCISES, student, shownName, code) }, 201);
  });

  routes.post(LAB_PATHS.report, async (c) => {
    const body = (await c.req.json().catch(() => null)) as { shown?: unknown; stop?: unknown; cut?: unknown } | null;
    const shown = Array.isArray(body?.shown) ? body.shown.filter(isShown) : [];
    const report = runs.report(c.req.param("id"), shown, { stop: body?.stop === true, cut: body?.cut === true });
    if (!report) return c.json<ErrorBody>({ error: `no lab run ${c.req.param("id")}`, code: "not-found" }, 404);
    return c.json<LabReport>(report);
  });

  routes.get(LAB_PATHS.progress, (c) => {
    c.header("Cache-Control", "no-store");
    return c.json<LabProgress>(runs.progress());
  });

  // The projector's "show this student's code": the teacher's only (a student's code is theirs to show, not the
  // class's to read). The teacher may then run it: in the lab's frame, like any lab code, never as the teacher.
  routes.get(LAB_PATHS.student, teacherOnly(isTeacher), (c) => {
    c.header("Cache-Control", "no-store");
    const shown = runs.shownCode(c.req.param("handle"));
    if (!shown)
      return c.json<ErrorBody>({ error: `no code from student ${c.req.param("handle")}`, code: "not-found" }, 404);
    return c.json<LabShownCode>(shown);
  });

  routes.post(LAB_PATHS.anonymous, teacherOnly(isTeacher), async (c) => {
    const body = (await c.req.json().catch(() => null)) as { anonymous?: unknown } | null;
    if (typeof body?.anonymous !== "boolean")
      return c.json<ErrorBody>({ error: 'send { "anonymous": true or false }', code: "bad-request" }, 400);
    runs.anonymous = body.anonymous;
    return c.json({ anonymous: runs.anonymous });
  });
  return routes;
}

/** One page of its own: its skeleton, style sheet and bundle. */
export interface PageAssets {
  html: string;
  css: string;
  js: string;
}

/** The lab's page and its files, built on the first request for any of them (the editor makes it the heaviest). */
export function labPageRoutes(assets: () => Promise<PageAssets>): Hono {
  let built: Promise<PageAssets> | undefined;
  const lab = () => (built ??= assets());
  const routes = new Hono();
  routes.get(LAB_PATHS.page, async (c) => c.html((await lab()).html));
  for (const [path, type, part] of [
    ["/lab.js", "text/javascript", "js"],
    ["/lab.css", "text/css", "css"],
  ] as const) {
    routes.get(path, async (c) => {
      c.header("content-type", `${type}; charset=utf-8`);
      return c.body((await lab())[part]);
    });
  }
  return routes;
}
