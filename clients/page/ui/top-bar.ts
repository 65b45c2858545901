/**
 * The top bar's fold: on a phone and in presenter mode (style.css) only the title, the Present button, the language
 * and this button stay on the bar; the rest (name, chat bot, clock, links) opens below it on demand.
 */
export function mountTopBar(): void {
  const bar = document.querySelector<HTMLElement>("header.top")!;
  const toggle = bar.querySelector<HTMLButtonElement>("#top-toggle")!;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    bar.classList.toggle("open", open);
  });
}
