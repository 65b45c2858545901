import { LAB_PATHS, type LabProgress } from "../../shared/lab.ts";
import { element } from "../page/ui/dom.ts";
import { onLanguageChange } from "../page/ui/i18n.ts";
import { teacherPost } from "../page/presenter/teacher-mode.ts";
import { exerciseName, labText } from "../lab/words.ts";

/**
 * The lab's progress on the projector: per step, how many students passed of those who tried, and who (the names
 * they chose), unless the teacher turns on "anonymous" (the server then sends no names at all).
 */
export function createLabProgress(teacher: boolean): { root: HTMLElement; update(): Promise<void> } {
  const root = element("section", "lab-progress");
  const title = element("h2");
  const link = element("a");
  link.href = LAB_PATHS.page;
  const steps = element("ul", "lab-steps");
  const names = element("ul", "lab-names");
  const anonymous = Object.assign(element("input"), { type: "checkbox", id: "lab-anonymous" });
  const switchLabel = element("label");
  const switchText = element("span");
  switchLabel.append(anonymous, " ", switchText);
  anonymous.addEventListener(
    "change",
    () => void teacherPost(LAB_PATHS.anonymous, { anonymous: anonymous.checked }).then(update, () => {}),
  );
  root.append(title, link, steps, names);
  if (teacher) root.append(switchLabel);

  /** The teacher's "show the code": the student's last code and verdict in the lab, on the projector (teacher only). */
  const showLink = (handle: string) => {
    const show = element("a", "lab-show", labText("progress.show"));
    show.href = `${LAB_PATHS.page}?show=${encodeURIComponent(handle)}`;
    show.dataset.handle = handle;
    return show;
  };

  let last: LabProgress | undefined;
  function render() {
    title.textContent = labText("progress.title");
    link.textContent = labText("progress.link");
    switchText.textContent = labText("progress.anonymous");
    if (!last) return;
    anonymous.checked = last.anonymous;
    steps.replaceChildren(
      ...last.steps.map(({ exercise, step, tried, passed }) => {
        const item = element(
          "li",
          undefined,
          `${exerciseName(exercise)}: ${labText("progress.step", { step, tried, passed })}`,
        );
        item.dataset.step = String(step);
        item.dataset.passed = String(passed);
        item.dataset.tried = String(tried);
        return item;
      }),
    );
    const shown = last.students.filter((s) => s.name !== null);
    names.replaceChildren(
      ...(shown.length
        ? shown.map((s) => {
            const item = element("li", undefined, `${s.name} ${s.passed.map((n) => `✓${n}`).join(" ")}`);
            if (teacher) item.append(" ", showLink(s.handle));
            return item;
          })
        : [element("li", undefined, last.anonymous ? labText("progress.anonymous") : labText("progress.nobody"))]),
    );
  }
  async function update() {
    const response = await fetch(LAB_PATHS.progress);
    if (response.ok) last = (await response.json()) as LabProgress;
    render();
  }
  onLanguageChange(render);
  render();
  return { root, update };
}
