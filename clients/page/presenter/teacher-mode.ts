import { translated } from "../ui/i18n.ts";
import { CLASS_PATHS, TEACHER_HEADER, TEACHER_PARAM, type TeacherBody } from "../../../shared/class-protocol.ts";
import { Refused, refusal } from "../ui/errors.ts";

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

/**
 * Says so, in the page's language, when this browser keeps a teacher token the server refuses (a server started with
 * another one: `--memory`, or a new data directory), rather than silently hiding the controls.
 */
export function warnIfTokenRefused(teacher: boolean): void {
  if (teacher || Object.keys(teacherHeaders()).length === 0) return;
  const warning = translated(document.createElement("p"), "teacher.refused");
  warning.className = "teacher-refused";
  warning.setAttribute("role", "alert");
  document.body.prepend(warning);
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
  if (!response.ok) throw new Refused(await refusal(response));
  return (await response.json()) as Body;
}

/** A teacher's read (the lab's "show the code"): GET with the token if there is one. */
export async function teacherGet<Body>(path: string): Promise<Body> {
  const response = await fetch(path, { headers: teacherHeaders() });
  if (!response.ok) throw new Refused(await refusal(response));
  return (await response.json()) as Body;
}
