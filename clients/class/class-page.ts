import { CLASS_PATHS, type ClassNumbers } from "../../shared/class-protocol.ts";
import { language, retranslate, translated } from "../page/ui/i18n.ts";
import { mountServerStatus, serverAnswered, serverMissed } from "../page/ui/server-status.ts";
import { isTeacher, keepTeacherToken, warnIfTokenRefused } from "../page/presenter/teacher-mode.ts";
import { createCharts } from "./class-charts.ts";
import { createControls } from "./controls.ts";
import { createJoin } from "./join.ts";
import { createLabProgress } from "./lab-progress.ts";
import { ratesBetween } from "./rates.ts";
import { createRoster } from "./roster.ts";

/** How often the class view asks for its numbers: within 2 s of a change, the charts show it. */
const READ_EVERY_MS = 1000;
/** How long the class view says "new chat" (ms). */
const NEW_CHAT_NOTE_MS = 8000;

keepTeacherToken();
document.documentElement.lang = language();
retranslate();

const main = document.querySelector("main")!;
const side = document.createElement("div");
side.className = "side";
const roster = createRoster();
const charts = createCharts();
main.append(side, charts.root);
addEventListener("resize", () => charts.resize());

mountServerStatus();
async function read(): Promise<ClassNumbers> {
  const response = await fetch(CLASS_PATHS.numbers).catch((error) => {
    serverMissed(); // the class view says the server is away, with the time since
    throw error;
  });
  serverAnswered();
  if (!response.ok) throw new Error(`${CLASS_PATHS.numbers} answered ${response.status}`);
  return (await response.json()) as ClassNumbers;
}

const first = await read();
const note = translated(document.createElement("p"), "class.note");
note.className = "note";
side.append(await createJoin(first.joinUrl ?? `${location.origin}/`), roster.root, note);
const teacher = await isTeacher();
warnIfTokenRefused(teacher);
const controls = teacher ? createControls() : undefined;
const lab = createLabProgress(teacher);
side.append(lab.root);
// A new chat, said where the class looks, for a few seconds (the charts start again below it).
const newChatNote = translated(document.createElement("p"), "class.new-chat.done");
newChatNote.className = "new-chat-done";
newChatNote.setAttribute("role", "status");
newChatNote.hidden = true;
main.before(newChatNote);
let newChatTimer: ReturnType<typeof setTimeout> | undefined;
if (controls) document.querySelector("header h1")!.after(controls.root);

let previous = first;
function show(numbers: ClassNumbers) {
  roster.update(numbers.transports);
  controls?.update(numbers);
  if (numbers.boot === previous.boot && numbers.chatNumber !== previous.chatNumber) {
    charts.clear();
    newChatNote.hidden = false;
    clearTimeout(newChatTimer);
    newChatTimer = setTimeout(() => (newChatNote.hidden = true), NEW_CHAT_NOTE_MS);
  }
  const rates = ratesBetween(previous, numbers);
  if (rates) charts.add(rates);
  previous = numbers;
}
show(first);
setInterval(() => read().then(show, () => {}), READ_EVERY_MS); // a missed reading is a gap, not an error
setInterval(() => lab.update().catch(() => {}), READ_EVERY_MS);
