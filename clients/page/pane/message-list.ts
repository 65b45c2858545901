import type { Message } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { translated } from "../ui/i18n.ts";
import type { TrafficMeter } from "./meter.ts";
import type { ShownSoFar } from "./pane-counters.ts";

/** Most messages a pane keeps on screen; the naive poller would otherwise grow the page without end. */
const MAX_SHOWN_MESSAGES = 300;

export interface MessageList {
  list: HTMLElement;
  /** Puts messages on screen (user text as textContent only), and gives the meter each new one's latency. */
  show(messages: Message[]): void;
  /** A new history: ids start again, so a new id 3 is not the old one. */
  forgetIds(): void;
  /** A new transport: an empty list, and latency counted from now (server clock). */
  restart(now: number): void;
  shownSoFar(): ShownSoFar;
}

/** The pane's messages, each marked when it is shown again (the naive loop's repetition, visible). */
export function createMessageList(meter: TrafficMeter, clockOffset: () => number, onShown: () => void): MessageList {
  const list = element("ol", "messages");
  // It scrolls: reachable by keyboard, and named for a screen reader.
  list.tabIndex = 0;
  translated(list, "pane.messages", undefined, "aria-label");
  /** How many times each message id has been put on screen: more than once only with the naive loop. */
  const timesShown = new Map<number, number>();
  let shownTotal = 0;
  let startedAt = 0; // server clock; history from before the pane started has no delivery latency to show

  const item = (message: Message, times: number) => {
    const li = element("li");
    li.dataset.id = String(message.id);
    if (times > 1) {
      // Shown again: dimmed, with a badge counting the times, so the class sees the repetition without reading bytes.
      li.className = "again";
      li.dataset.shown = String(times);
      li.append(translated(element("span", "times"), "pane.again", { n: times }), " ");
    }
    // The server's and the teacher's messages carry a mark only the server sets: a name anyone can type is no proof.
    if (message.from) {
      li.classList.add(`from-${message.from}`);
      li.append(translated(element("span", "sender"), `pane.from.${message.from}`), " ");
    }
    li.append(element("b", undefined, message.user), " ", element("span", undefined, message.text));
    return li;
  };
  return {
    list,
    show(messages) {
      for (const message of messages) {
        const now = Date.now() + clockOffset();
        const times = (timesShown.get(message.id) ?? 0) + 1;
        timesShown.set(message.id, times);
        shownTotal++;
        if (times === 1 && message.sentAt >= startedAt) meter.addLatency(Math.max(0, now - message.sentAt));
        list.append(item(message, times));
      }
      onShown();
      while (list.childElementCount > MAX_SHOWN_MESSAGES) list.firstElementChild!.remove();
      if (messages.length > 0) list.scrollTop = list.scrollHeight;
    },
    forgetIds: () => timesShown.clear(),
    restart(now) {
      list.replaceChildren();
      timesShown.clear();
      shownTotal = 0;
      startedAt = now;
    },
    shownSoFar: () => ({ total: shownTotal, distinct: timesShown.size }),
  };
}
