import { createHandshakePanel } from "./handshake-panel.ts";
import { LANGUAGES, language, retranslate, setLanguage, translated, type Language } from "./i18n.ts";

/** Each language named in itself, so anyone can find their own. */
const LANGUAGE_NAMES: Record<Language, string> = { en: "English", tr: "Türkçe" };

function languageSwitch(): HTMLSelectElement {
  const select = translated(document.createElement("select"), "top.language", undefined, "title");
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

/**
 * What the page has for teaching beside the panes: the language switch, the handshake panel.
 * Kept out of page.ts so the page's own code stays about panes and transports.
 */
export function mountClassroom(): void {
  const nav = document.querySelector("nav.top")!;
  nav.append(languageSwitch());
  document.querySelector("main")!.after(createHandshakePanel());
  document.documentElement.lang = language();
  retranslate();
}
