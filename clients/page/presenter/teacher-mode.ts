import { CLASS_PATHS, TEACHER_HEADER, TEACHER_PARAM, type TeacherBody } from "../../../shared/class-protocol.ts";

/** Where the teacher's secret is kept: this browser only, never in a cookie, so no other request carries it. */
const STORAGE_KEY = "teacher-token";

/**
 * The teacher URL `npm start` prints (`/?teacher=<token>`): the token goes into localStorage and off the address bar
 * at once, so a projector showing the page never shows it. Call before anything reads the URL.
 */
export function keepTeacherToken(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get(TEACHER_PARAM);
  if (token === null) return;
  try {
    localStorage.setItem(STORAGE_KEY, token);
  } catch {
    // storage disabled: this browser is the teacher's only from the server's own machine
  }
  url.searchParams.delete(TEACHER_PARAM);
  history.replaceState(null, "", url);
}

function teacherHeaders(): Record<string, string> {
  try {
    const token = localStorage.getItem(STORAGE_KEY);
    return token ? { [TEACHER_HEADER]: token } : {};
  } catch {
    return {};
  }
}

/** Whether the server takes this browser for the teacher's (its own machine, or the token): it shows controls then. */
export async function isTeacher(): Promise<boolean> {
  try {
    const response = await fetch(CLASS_PATHS.teacher, { headers: teacherHeaders() });
    return response.ok && ((await response.json()) as TeacherBody).teacher;
  } catch {
    return false;
  }
}

/** A teacher's control: POST with JSON (as every state-changing route requires) and the token if there is one. */
export async function teacherPost<Body>(path: string, body: object): Promise<Body> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...teacherHeaders() },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Body & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `${path} answered ${response.status}`);
  return answer;
}
