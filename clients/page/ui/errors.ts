import { ERROR_CODES, type ErrorCode, MAX_TEXT_LENGTH, MAX_USER_LENGTH } from "../../../shared/protocol.ts";
import { type StringKey, translated } from "./i18n.ts";

/** What the page itself can tell apart: no answer at all, or an answer without a code it knows. */
export type Problem = ErrorCode | "network" | "unknown";

/** The words for each server error code (shared/protocol.ts): a new code without them fails to compile. */
const WORDS: Record<Problem, StringKey> = {
  "bad-message": "error.bad-message",
  "empty-user": "error.empty-user",
  "bad-name": "error.bad-name",
  "user-too-long": "error.user-too-long",
  "empty-text": "error.empty-text",
  "text-too-long": "error.text-too-long",
  "too-large": "error.too-large",
  "bad-request": "error.bad-request",
  "rate-limited": "error.rate-limited",
  locked: "class.locked",
  "teacher-only": "error.teacher-only",
  "origin-refused": "error.origin-refused",
  "server-busy": "error.server-busy",
  "broker-unavailable": "error.broker-unavailable",
  "not-stored": "error.not-stored",
  "not-found": "error.not-found",
  "upgrade-required": "error.upgrade-required",
  internal: "error.internal",
  network: "error.network",
  unknown: "error.unknown",
};

/** The code of an error body or frame; anything else (an old server, a proxy's page) is "unknown". */
const problemOf = (body: unknown): Problem => {
  const code = (body as { code?: unknown } | null)?.code;
  return ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : "unknown";
};

/** The code in a refused answer's JSON body. */
export const refusal = async (response: Response): Promise<Problem> =>
  problemOf(await response.json().catch(() => null));

/** Shows `problem` in `element` in the reader's language, and again after a switch; undefined clears it. */
export function showProblem(element: HTMLElement, problem: Problem | undefined): void {
  if (problem) {
    translated(element, WORDS[problem], { user: MAX_USER_LENGTH, text: MAX_TEXT_LENGTH });
    return;
  }
  delete element.dataset.i18n;
  delete element.dataset.i18nVars;
  element.textContent = "";
}

/** A refusal thrown by a call (the teacher's controls), carrying its code. */
export class Refused extends Error {
  constructor(readonly problem: Problem) {
    super(problem);
  }
}
