import type { Context, MiddlewareHandler } from "hono";
import type { ErrorBody, MessageToStore, NewMessage } from "../../shared/protocol.ts";
import { TEACHER_HEADER } from "../../shared/class-protocol.ts";
import { PANE_PARAM } from "../../shared/protocol.ts";

/**
 * The addresses the server's own browser connects from: exactly these, not all of 127.0.0.0/8, so another address
 * on the loopback (a test's 127.0.0.2) is a student's machine like any other.
 */
export const OWN_MACHINE: ReadonlySet<string> = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** A fresh teacher secret: 128 random bits, hex (Web Crypto, so the app stays runtime-free). */
export function newTeacherToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Compares without stopping at the first difference, so the time taken says nothing about the token. */
function sameToken(given: string, token: string): boolean {
  let difference = given.length ^ token.length;
  for (let i = 0; i < token.length; i++) difference |= (given.charCodeAt(i) || 0) ^ token.charCodeAt(i);
  return difference === 0;
}

/**
 * Code the lab runs (clients/lab/): its sandboxed frame has an opaque origin, so its requests say `Origin: null`, and
 * the lab tags them `?p=lab…`. Either is never the teacher, even from the server's own machine, where the teacher may
 * run a student's code on the projector.
 */
function isLabCode(c: Context): boolean {
  return c.req.header("origin") === "null" || (c.req.query(PANE_PARAM)?.startsWith("lab") ?? false);
}

/**
 * Who is the teacher: a request from the server's own machine (the projector's laptop), or one that carries the
 * secret `npm start` printed, in the `x-teacher-token` header; never the lab's code. `clientAddress` is the edge's.
 */
export function teacherRule(token: string, clientAddress: (c: Context) => string): (c: Context) => boolean {
  return (c) =>
    !isLabCode(c) && (OWN_MACHINE.has(clientAddress(c)) || sameToken(c.req.header(TEACHER_HEADER) ?? "", token));
}

/** Refuses anyone but the teacher with 403 JSON before the route runs, so a student's request changes nothing. */
export function teacherOnly(isTeacher: (c: Context) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (isTeacher(c)) return next();
    return c.json<ErrorBody>(
      { error: "only the teacher may do this: open the teacher URL npm start printed", code: "teacher-only" },
      403,
    );
  };
}

/** A validated post (it has no `from`: validation.ts builds it anew), marked when the teacher sent it. */
export function markSender(message: NewMessage, isTeacher: boolean): MessageToStore {
  return isTeacher ? { ...message, from: "teacher" } : message;
}
