import { element } from "./dom.ts";
import { translated } from "./i18n.ts";

/** How long "the server is back" stays on screen (ms). */
const BACK_SHOWN_MS = 6000;

let downSince = 0;
let banner: HTMLElement | undefined;
let ticker: ReturnType<typeof setInterval> | undefined;
let hideBack: ReturnType<typeof setTimeout> | undefined;

const seconds = (since: number) => Math.max(0, Math.round((Date.now() - since) / 1000));

function show(key: "down.banner" | "down.back", s: number): void {
  if (!banner) return;
  banner.hidden = false;
  banner.dataset.state = key === "down.banner" ? "down" : "back";
  translated(banner, key, { s });
}

/**
 * A line at the top of the page (and of the class view) while the server does not answer, with the time since it
 * went away, in words a teacher can explain; then "the server is back" for a few seconds. Fed by the page's own
 * periodic readings (each pane's totals, the class view's numbers), so it knows within a second.
 */
export function mountServerStatus(parent: HTMLElement = document.body): void {
  banner = element("p", "server-status");
  banner.setAttribute("role", "status");
  banner.hidden = true;
  parent.prepend(banner);
}

/** A reading failed: the server is away (from the first failure on). */
export function serverMissed(): void {
  if (downSince) return;
  downSince = Date.now();
  clearTimeout(hideBack);
  show("down.banner", 0);
  ticker = setInterval(() => show("down.banner", seconds(downSince)), 1000);
}

/** A reading answered: if the server was away, say it is back, and for how long it was away. */
export function serverAnswered(): void {
  if (!downSince) return;
  clearInterval(ticker);
  show("down.back", seconds(downSince));
  downSince = 0;
  hideBack = setTimeout(() => banner && (banner.hidden = true), BACK_SHOWN_MS);
}
