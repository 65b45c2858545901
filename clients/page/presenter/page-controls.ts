import { createHandshakePanel } from "./handshake-panel.ts";
import { LANGUAGES, language, retranslate, setLanguage, translated, type Language } from "../ui/i18n.ts";
import { PRESENT_PARAM, startPresenter, type Presenter, type Stage } from "./presenter.ts";
import { isTeacher } from "./teacher-mode.ts";

/** Each language named in itself, so anyone can find their own. */
const LANGUAGE_NAMES: Record<Language, string> = { en: "English", tr: "Türkçe" };

function languageSwitch(): HTMLSelectElement {
  const select = translated(document.createElement("select"), "top.language", undefined, "aria-label");
  select.id = "language";
  for (const code of Object.keys(LANGUAGES) as Language[]) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = LANGUAGE_NAMES[code];
    select.append(option);
  }
  select.value = language();
  select.addEventListener("change", () => setLanguage(select.value as Language));
  return select;
}

/** The page as presenter mode drives it: through the same controls a person would use. */
function pageStage(handshake: HTMLDetailsElement): Stage {
  const botBox = document.querySelector<HTMLInputElement>("#bot")!;
  const botRate = document.querySelector<HTMLInputElement>("#bot-rate")!;
  return {
    setModes(modes) {
      // Each pane's own transport picker (clients/page/pane/pane.ts), as if the teacher had picked by hand.
      document.querySelectorAll<HTMLElement>("main .pane").forEach((pane, i) => {
        const picker = pane.querySelector<HTMLSelectElement>("select.mode-picker");
        const mode = modes[i];
        if (!picker || !mode || picker.value === mode || ![...picker.options].some((option) => option.value === mode))
          return;
        picker.value = mode;
        picker.dispatchEvent(new Event("change"));
      });
    },
    setBot(rate) {
      if (rate > 0) botRate.value = String(rate);
      if (rate === 0 && !botBox.checked) return;
      botBox.checked = rate > 0;
      botBox.dispatchEvent(new Event("change")); // page.ts posts the rate to /bot
    },
    showHandshake(open) {
      handshake.open = open;
    },
  };
}

/**
 * What the page has for teaching beside the panes: the language switch, the handshake panel, presenter mode
 * (`/?present`, or the button). Kept out of page.ts so the page's own code stays about panes and transports.
 */
export function mountClassroom(): void {
  const bar = document.querySelector("header.top")!;
  const handshake = createHandshakePanel();
  document.querySelector("main")!.append(handshake); // under the panes, inside the page's main landmark

  const presentButton = translated(document.createElement("button"), "top.present");
  translated(presentButton, "top.present.title", undefined, "title");
  presentButton.type = "button";
  presentButton.id = "present";
  presentButton.hidden = true; // the teacher's: shown once the server says this browser is theirs
  let presenter: Presenter | undefined;
  const present = () => {
    presenter?.stop();
    presenter = startPresenter(pageStage(handshake));
  };
  presentButton.addEventListener("click", present);
  // The Present button folds away with the rest on a phone; the language switch stays on the bar.
  bar.querySelector("#top-more")!.append(presentButton);
  bar.append(languageSwitch());

  document.documentElement.lang = language();
  retranslate();
  isTeacher().then((teacher) => {
    presentButton.hidden = !teacher;
    // A student's page does not follow the slides, and a student's `?present` shows none.
    if (teacher && new URLSearchParams(location.search).has(PRESENT_PARAM)) present();
  });
}
