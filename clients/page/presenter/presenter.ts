import { PATHS, type RoomBody } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { language, onLanguageChange, translated, type StringKey } from "../ui/i18n.ts";
import { exerciseName } from "../../lab/words.ts";
import { SLIDES, type Slide } from "./slides.ts";

/** What a slide may change on the page when it is shown. */
export interface Stage {
  /** Modes for the panes, left to right (a mode the page does not have is skipped). */
  setModes(modes: string[]): void;
  setBot(rate: number): void;
  showHandshake(open: boolean): void;
}

/** The query parameter of presenter mode; its value is the step shown, from 1. */
export const PRESENT_PARAM = "present";

const NEXT_KEYS = new Set(["ArrowRight", "PageDown"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp"]);
/** What a presentation clicker sends. */
const CLICKER_KEYS = new Set(["PageUp", "PageDown"]);

/** Inputs whose arrow keys do nothing worth keeping: the slides take them. */
const NOT_TYPED_IN = new Set(["checkbox", "radio", "button", "submit", "reset", "color"]);

/**
 * Typing in a chat box must not turn the slide on an arrow key. Anywhere else (a menu, the language switch, a checkbox,
 * a button) the slide keys turn the slide, and only the slide: a menu must not change with them.
 */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target.tagName === "TEXTAREA" ||
    (target instanceof HTMLInputElement && !NOT_TYPED_IN.has(target.type)));

/** Smallest font a slide shrinks to, px, to fit its box; below it the slide scrolls (a projector must stay readable). */
const MIN_SLIDE_FONT_PX = 13;

/** Shrinks the slide's type one pixel at a time until it fits its box, as presentation software does. */
function fitText(box: HTMLElement): void {
  box.style.fontSize = "";
  let size = parseFloat(getComputedStyle(box).fontSize);
  while (box.scrollHeight > box.clientHeight && size > MIN_SLIDE_FONT_PX) {
    size -= 1;
    box.style.fontSize = `${size}px`;
  }
}

/** The step in the URL (`?present=3`), kept in range; 0-based. */
export function stepFromUrl(search: string, count = SLIDES.length): number {
  const value = Number(new URLSearchParams(search).get(PRESENT_PARAM));
  return Number.isInteger(value) && value >= 1 ? Math.min(value, count) - 1 : 0;
}

export interface Presenter {
  go(step: number): void;
  stop(): void;
}

/**
 * Presenter mode: large type for a projector, the walkthrough's steps as slides beside the live panes, arrow keys
 * (or a clicker's PageUp/PageDown) to move. Each slide sets up the panes and the bot as its step needs.
 *
 * Long on purpose: one keyboard handler and one slide state, read best as one piece.
 */
export function startPresenter(
  stage: Stage,
  first = stepFromUrl(location.search),
  slides: Slide[] = SLIDES,
): Presenter {
  const aside = translated(element("aside", "slides"), "present.slides", undefined, "aria-label");
  const article = element("article", "slide");
  article.setAttribute("aria-live", "polite");
  article.tabIndex = 0; // it scrolls when it must (below MIN_SLIDE_FONT_PX): reachable by keyboard
  const previous = translated(element("button", "previous"), "present.previous");
  const next = translated(element("button", "next"), "present.next");
  const counter = element("span", "step-counter");
  const exit = translated(element("button", "exit"), "present.exit");
  for (const button of [previous, next, exit]) button.type = "button";
  const controls = translated(element("nav", "slide-controls"), "present.controls", undefined, "aria-label");
  const classView = translated(element("a", "class-view"), "present.class");
  classView.href = "/class";
  controls.append(previous, counter, next, exit, classView);
  aside.append(article, controls);
  document.body.classList.add("presenting");
  document.querySelector("main")!.before(aside);

  let current = -1;
  let stopped = false;
  /** Where the students' machines open the page (GET /room: the server's LAN address), not this browser's localhost. */
  let room = `${location.origin}/`;
  fetch(PATHS.room)
    .then((response) => response.json() as Promise<RoomBody>)
    .then(({ urls }) => {
      if (urls[0] && !stopped) {
        room = urls[0];
        render();
      }
    })
    .catch(() => {}); // an older server: the page's own address stays

  function render() {
    const slide = slides[current]!;
    const text = slide.text[language()];
    article.dataset.slide = slide.id;
    const fields = element("dl");
    const field = (key: StringKey, value: string, name: string) => {
      const dd = element("dd", undefined, value.replaceAll("{room}", room));
      dd.dataset.field = name;
      fields.append(translated(element("dt"), key), dd);
    };
    field("present.run", text.run, "run");
    field("present.show", text.show, "show");
    field("present.see", text.see, "see");
    field("present.ask", text.ask, "ask");
    article.replaceChildren(element("h2", undefined, text.title), fields);
    if (slide.lab) {
      // The lab's exercise for this step, at the address students open (clients/lab/).
      const lab = element("a", "lab-link", `${exerciseName(slide.lab)}: ${room}lab?exercise=${slide.lab}`);
      lab.href = `${room}lab?exercise=${slide.lab}`;
      article.append(lab);
    }
    translated(counter, "present.step", { n: current + 1, total: slides.length });
    previous.disabled = current === 0;
    next.disabled = current === slides.length - 1;
    fitText(article);
  }

  function go(step: number) {
    const target = Math.max(0, Math.min(slides.length - 1, step));
    if (target === current) return;
    current = target;
    const slide = slides[current]!;
    if (slide.modes) stage.setModes(slide.modes);
    if (slide.bot !== undefined) stage.setBot(slide.bot);
    if (slide.handshake !== undefined) stage.showHandshake(slide.handshake);
    const url = new URL(location.href);
    url.searchParams.set(PRESENT_PARAM, String(current + 1));
    history.replaceState(null, "", url);
    render();
  }

  const onKey = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // A clicker's PageUp/PageDown turn the slide even from the chat box the teacher just typed in.
    if (isTyping(event.target) && !CLICKER_KEYS.has(event.key)) return;
    if (NEXT_KEYS.has(event.key)) go(current + 1);
    else if (PREVIOUS_KEYS.has(event.key)) go(current - 1);
    else return;
    event.preventDefault();
  };
  // Capturing: the slide turns before a focused menu could take the key as a choice.
  document.addEventListener("keydown", onKey, { capture: true });
  const refit = new ResizeObserver(() => fitText(article));
  refit.observe(article);
  previous.addEventListener("click", () => go(current - 1));
  next.addEventListener("click", () => go(current + 1));
  onLanguageChange(() => !stopped && render());

  const presenter: Presenter = {
    go,
    stop() {
      stopped = true;
      refit.disconnect();
      document.removeEventListener("keydown", onKey, { capture: true });
      aside.remove();
      document.body.classList.remove("presenting");
      const url = new URL(location.href);
      url.searchParams.delete(PRESENT_PARAM);
      history.replaceState(null, "", url);
    },
  };
  exit.addEventListener("click", () => presenter.stop());
  go(first);
  return presenter;
}
