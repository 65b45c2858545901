import {
  EXERCISE_IDS,
  LAB_PATHS,
  type ExerciseId,
  type LabReport,
  type LabShownCode,
  type Shown,
} from "../../shared/lab.ts";
import { teacherGet } from "../page/presenter/teacher-mode.ts";
import { ServerClock } from "../page/ui/clock.ts";
import { element } from "../page/ui/dom.ts";
import { language, onLanguageChange, setLanguage, type Language } from "../page/ui/i18n.ts";
import { renderChecklist } from "./checklist.ts";
import { createEditor } from "./editor.ts";
import { startingCode } from "./exercises.ts";
import { runInFrame, type Sandbox } from "./sandbox.ts";
import { exerciseName, labText, type LabKey } from "./words.ts";

/** How often a running exercise sends what show() received and reads the server's verdict back. */
const REPORT_EVERY_MS = 1000;

const $ = <E extends HTMLElement>(selector: string) => document.querySelector<E>(selector)!;
const store = {
  get: (key: string) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set: (key: string, value: string) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // storage disabled: nothing kept across reloads
    }
  },
};

/** Who this student is for the class view's progress: an id of this browser's, and the name shared with the chat. */
const student =
  store.get("lab-student") ??
  [...crypto.getRandomValues(new Uint8Array(12))].map((b) => (b % 36).toString(36)).join("");
store.set("lab-student", student);
const nameInput = $<HTMLInputElement>("#lab-name");
nameInput.value = store.get("user") ?? "";
nameInput.addEventListener("change", () => store.set("user", nameInput.value));

const clock = new ServerClock();
void clock.sync().catch(() => {});

function translate() {
  document.documentElement.lang = language();
  for (const node of document.querySelectorAll<HTMLElement>("[data-lab]"))
    node.textContent = labText(node.dataset.lab as LabKey);
  $<HTMLSelectElement>("#lab-language").value = language();
  for (const tab of tabs) tab.textContent = exerciseName(tab.dataset.exercise as ExerciseId);
  $(".intro").textContent = labText(`intro.${current}` as LabKey);
  if (lastReport) renderChecklist($(".checklist"), $(".wire"), lastReport);
}
$<HTMLSelectElement>("#lab-language").addEventListener("change", (event) =>
  setLanguage((event.target as HTMLSelectElement).value as Language),
);
onLanguageChange(translate);

let current: ExerciseId = (new URLSearchParams(location.search).get("exercise") as ExerciseId) ?? "fetch-once";
if (!EXERCISE_IDS.includes(current)) current = "fetch-once";
const codeKey = (exercise: ExerciseId) => `lab-code-${exercise}`;
/** Off while the projector shows a student's code (`?show=`): it is not the teacher's own, to keep for next time. */
let keepCode = true;
const editor = createEditor($(".editor"), (code) => keepCode && store.set(codeKey(current), code));

const tabs = EXERCISE_IDS.map((exercise) => {
  const tab = element("button");
  tab.type = "button";
  tab.setAttribute("role", "tab");
  tab.dataset.exercise = exercise;
  tab.addEventListener("click", () => choose(exercise));
  return tab;
});
$(".exercises").append(...tabs);

function choose(exercise: ExerciseId) {
  stop();
  current = exercise;
  for (const tab of tabs) tab.setAttribute("aria-selected", String(tab.dataset.exercise === exercise));
  editor.setCode(store.get(codeKey(exercise)) ?? startingCode(exercise));
  $("#lab-restart").hidden = exercise !== "restart";
  lastReport = undefined;
  $(".checklist").replaceChildren();
  $(".wire").textContent = labText("idle");
  $(".problem").textContent = "";
  $(".output").replaceChildren();
  translate();
}

/** One run: its id from the server, the frame, what show() received not yet sent, the report loop. */
let running: { id: string; sandbox: Sandbox; pending: Shown[]; timer: ReturnType<typeof setInterval> } | undefined;
let lastReport: LabReport | undefined;

async function report(id: string, body: { shown: Shown[]; stop?: boolean; cut?: boolean }) {
  const response = await fetch(LAB_PATHS.report.replace(":id", id), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status >= 500) throw new Error(`${response.status}`); // a server that stops: try again
  if (!response.ok) return;
  lastReport = (await response.json()) as LabReport;
  renderChecklist($(".checklist"), $(".wire"), lastReport);
  tabs.find((tab) => tab.dataset.exercise === lastReport!.exercise)?.classList.toggle("passed", lastReport.passed);
}

async function run() {
  stop();
  const exercise = current;
  const response = await fetch(LAB_PATHS.runs, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ exercise, student, name: nameInput.value, code: editor.code() }), // the teacher may show it
  });
  const answer = (await response.json()) as { id?: string; error?: string };
  if (!answer.id) {
    $(".problem").textContent = answer.error ?? `${LAB_PATHS.runs}: ${response.status}`;
    return;
  }
  const id = answer.id;
  $(".problem").textContent = "";
  $(".wire").textContent = labText("running");
  const pending: Shown[] = [];
  const sandbox = runInFrame(
    $(".output"),
    editor.code(),
    { id, exercise },
    {
      shown: (entry) => pending.push(entry),
      error: (text) => ($(".problem").textContent = labText("error", { text })),
      now: () => Date.now() + clock.offset,
    },
  );
  const timer = setInterval(() => {
    const shown = pending.splice(0);
    // The server restarting (exercise 4): what show() received is sent again with the next report.
    void report(id, { shown }).catch(() => pending.unshift(...shown));
  }, REPORT_EVERY_MS);
  running = { id, sandbox, pending, timer };
  $<HTMLButtonElement>("#lab-run").disabled = true;
  $<HTMLButtonElement>("#lab-stop").disabled = false;
}

/** How long Stop waits for the server's verdict before it removes the frame anyway (a server that does not answer). */
const STOP_WAIT_MS = 2000;

/** Stop really stops: the verdict, then the frame goes (and its code, its timers, its sockets with it). */
function stop() {
  if (!running) return;
  const { id, sandbox, pending, timer } = running;
  running = undefined;
  clearInterval(timer);
  $<HTMLButtonElement>("#lab-run").disabled = false;
  $<HTMLButtonElement>("#lab-stop").disabled = true;
  // The verdict first, then the frame goes: the server notes the sockets open at Stop and closes them itself.
  // Removing the frame first raced its sockets' close against this report, and a run could be judged with none open.
  const verdict = report(id, { shown: pending.splice(0), stop: true });
  const late = new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS));
  void Promise.race([verdict, late])
    .catch(() => {})
    .then(() => {
      sandbox.stop();
      return verdict;
    })
    .then(() => {
      $(".problem").textContent ||= "";
      document.body.dataset.stopped = id;
    })
    .catch(() => {});
}

$("#lab-run").addEventListener("click", () => void run());
$("#lab-stop").addEventListener("click", stop);
$("#lab-restart").addEventListener("click", () => {
  if (running) void report(running.id, { shown: running.pending.splice(0), cut: true });
});
$("#lab-reset").addEventListener("click", () => {
  editor.setCode(startingCode(current));
});
choose(current);

/**
 * `/lab?show=<handle>`: the teacher's "show the code" (the class view): a student's last code and the server's verdict
 * of it, on the projector. Read with the teacher's rights; Run runs it like any code here, in the sandboxed frame.
 */
async function showStudent(handle: string) {
  const shown = await teacherGet<LabShownCode>(LAB_PATHS.student.replace(":handle", encodeURIComponent(handle)));
  choose(shown.exercise);
  keepCode = false;
  editor.setCode(shown.code);
  const banner = $(".shown");
  banner.hidden = false;
  banner.textContent = shown.name === null ? labText("shown.anonymous") : labText("shown.named", { name: shown.name });
  if (shown.report) {
    lastReport = shown.report;
    renderChecklist($(".checklist"), $(".wire"), shown.report);
  }
}
const showHandle = new URLSearchParams(location.search).get("show");
if (showHandle)
  void showStudent(showHandle).catch((error: Error) => {
    $(".problem").textContent = labText("shown.missing", { error: error.message });
  });
