import { element } from "./dom.ts";
import { language, onLanguageChange, translated, type StringKey } from "./i18n.ts";
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

/** Typing in a chat box must not turn the slide. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

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
 */
export function startPresenter(stage: Stage, first = stepFromUrl(location.search), slides: Slide[] = SLIDES): Presenter {
  const aside = element("aside", "slides");
  aside.setAttribute("aria-live", "polite");
  const article = element("article", "slide");
  const previous = translated(element("button", "previous"), "present.previous");
  const next = translated(element("button", "next"), "present.next");
  const counter = element("span", "step-counter");
  const exit = translated(element("button", "exit"), "present.exit");
  for (const button of [previous, next, exit]) button.type = "button";
  const controls = element("nav", "slide-controls");
  controls.append(previous, counter, next);
  const classView = translated(element("a", "class-view"), "present.class");
  classView.href = "/class";
  aside.append(article, controls, exit, classView);
  document.body.classList.add("presenting");
  document.querySelector("main")!.before(aside);

  let current = -1;

  function render() {
    const slide = slides[current]!;
    const text = slide.text[language()];
    article.dataset.slide = slide.id;
    const fields = element("dl");
    const field = (key: StringKey, value: string, name: string) => {
      const dd = element("dd", undefined, value);
      dd.dataset.field = name;
      fields.append(translated(element("dt"), key), dd);
    };
    field("present.run", text.run, "run");
    field("present.show", text.show, "show");
    field("present.see", text.see, "see");
    field("present.ask", text.ask, "ask");
    article.replaceChildren(element("h2", undefined, text.title), fields);
    translated(counter, "present.step", { n: current + 1, total: slides.length });
    previous.disabled = current === 0;
    next.disabled = current === slides.length - 1;
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
    if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (NEXT_KEYS.has(event.key)) go(current + 1);
    else if (PREVIOUS_KEYS.has(event.key)) go(current - 1);
    else return;
    event.preventDefault();
  };
  document.addEventListener("keydown", onKey);
  previous.addEventListener("click", () => go(current - 1));
  next.addEventListener("click", () => go(current + 1));
  let stopped = false;
  onLanguageChange(() => !stopped && render());

  const presenter: Presenter = {
    go,
    stop() {
      stopped = true;
      document.removeEventListener("keydown", onKey);
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
