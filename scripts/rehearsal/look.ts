import type { Page } from "playwright";

/** One pane as the class sees it: its figures, its messages, its notes. */
export interface PaneView {
  mode: string;
  paneId: string;
  /** The counters' values (`data-value`), and their text as shown. */
  values: Record<string, number>;
  text: Record<string, string>;
  /** "shown / unique". */
  shown: number;
  unique: number;
  /** Each message on screen: id, text, whether it is a naive repeat. */
  messages: { id: number; text: string; again: boolean }[];
  /** The history line's requests (the first reading): the counters show what came after it. */
  historyRequests: number;
  restarted: boolean;
  notice: string;
  locked: boolean;
  /** The newest message is inside the list's visible box. */
  newestInView: boolean;
}

/** Every pane of a page, read in one go. */
export function readPanes(page: Page): Promise<PaneView[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main .pane")].map((pane) => {
      const values: Record<string, number> = {};
      const text: Record<string, string> = {};
      for (const dd of pane.querySelectorAll<HTMLElement>("dd[data-counter]")) {
        const name = dd.dataset.counter!;
        text[name] = dd.textContent ?? "";
        if (dd.dataset.value !== undefined) values[name] = Number(dd.dataset.value);
      }
      const [shown, unique] = (text.shown ?? "0 / 0").split("/").map((part) => Number(part.replace(/\D/g, "")));
      const list = pane.querySelector<HTMLElement>("ol.messages")!;
      const items = [...list.querySelectorAll<HTMLElement>("li")];
      const newest = items.at(-1);
      const box = list.getBoundingClientRect();
      const last = newest?.getBoundingClientRect();
      const history = pane.querySelector<HTMLElement>(".history")!;
      const notice = pane.querySelector<HTMLElement>(".notice");
      return {
        mode: pane.dataset.mode ?? "",
        paneId: pane.dataset.paneId ?? "",
        values,
        text,
        shown: shown ?? 0,
        unique: unique ?? 0,
        messages: items.map((item) => ({
          id: Number(item.dataset.id),
          text: item.querySelector("span:last-child")?.textContent ?? "",
          again: item.classList.contains("again"),
        })),
        historyRequests: Number(history.dataset.requests ?? 0),
        restarted: !(pane.querySelector<HTMLElement>(".restarted")?.hidden ?? true),
        notice: notice && !notice.hidden ? (notice.textContent ?? "") : "",
        locked: !(pane.querySelector<HTMLElement>(".locked")?.hidden ?? true),
        newestInView: !last || (last.bottom <= box.bottom + 1 && last.top >= box.top - 1),
      };
    }),
  );
}

/** The class view's "who is here", per transport. */
export function readRoster(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>(".roster td.count")].map((cell) => [
        cell.dataset.transport!,
        Number((cell.textContent ?? "").replace(/\D/g, "")),
      ]),
    ),
  );
}

/** Whether `selector`'s first match is on screen: visible and inside the window (not below a fold). */
export function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((selector) => {
    const element = document.querySelector<HTMLElement>(selector);
    if (!element || element.closest("[hidden]")) return false;
    const box = element.getBoundingClientRect();
    return (
      box.height > 0 && box.top >= 0 && box.bottom <= innerHeight + 1 && box.left >= 0 && box.right <= innerWidth + 1
    );
  }, selector);
}

/** The text of the server-status banner, "" when hidden. */
export function banner(page: Page): Promise<string> {
  return page.evaluate(() => {
    const line = document.querySelector<HTMLElement>(".server-status");
    return line && !line.hidden ? (line.textContent ?? "") : "";
  });
}
