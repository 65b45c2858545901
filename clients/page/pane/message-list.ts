import type { Message } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { onLanguageChange, translated } from "../ui/i18n.ts";
import { formatNumber } from "../ui/numbers.ts";
import type { TrafficMeter } from "./meter.ts";
import type { ShownSoFar } from "./pane-counters.ts";

/**
 * Most messages a pane keeps on screen, as live chats do: a 45-minute lesson at 2 msg/s would otherwise be 5,400
 * items a pane, and the page's cost would grow all lesson long. Older ones are counted, and a line says how many.
 */
export const MAX_SHOWN_MESSAGES = 300;
/** Within this many px of the bottom, the list follows new messages; further up, the reader scrolled away to read. */
const FOLLOW_PX = 32;

export interface MessageList {
  list: HTMLElement;
  /** The line above the list: how many earlier messages left it. */
  earlier: HTMLElement;
  /** Puts messages on screen (user text as textContent only), and gives the meter each new one's latency. */
  show(messages: Message[]): void;
  /** A new history: ids start again, so a new id 3 is not the old one. */
  forgetIds(): void;
  /** A new transport: an empty list, and latency counted from now (server clock). */
  restart(now: number): void;
  /** A new chat: the old chat's messages (ids below `firstId`) leave the pane and its figures. */
  clearBefore(firstId: number): void;
  shownSoFar(): ShownSoFar;
}

/**
 * The pane's messages, each marked when it is shown again (the naive loop's repetition, visible). The last
 * MAX_SHOWN_MESSAGES stay on screen; what changed is drawn at most once a frame (`onShown` then), never in a hidden tab.
 */
export function createMessageList(meter: TrafficMeter, clockOffset: () => number, onShown: () => void): MessageList {
  const list = element("ol", "messages");
  // It scrolls: reachable by keyboard, and named for a screen reader.
  list.tabIndex = 0;
  translated(list, "pane.messages", undefined, "aria-label");
  const earlier = element("p", "earlier");
  earlier.hidden = true;
  /** How many times each message id has been put on screen: more than once only with the naive loop. */
  const timesShown = new Map<number, number>();
  let shownTotal = 0;
  let startedAt = 0; // server clock; history from before the pane started has no delivery latency to show
  /** How many messages left the list, and whether it follows the newest (the reader is at the bottom). */
  let hiddenCount = 0;
  let following = true;
  let arrived = false;
  // Only the reader's scrolling says whether to follow: while new items wait for the next frame, a scroll is the
  // browser keeping the visible items in place (scroll anchoring), not the reader leaving the bottom.
  list.addEventListener(
    "scroll",
    () => arrived || (following = list.scrollHeight - list.scrollTop - list.clientHeight <= FOLLOW_PX),
    { passive: true },
  );
  const showEarlier = () => {
    if (earlier.hidden !== (hiddenCount === 0)) earlier.hidden = hiddenCount === 0;
    if (hiddenCount === 0) return;
    const n = formatNumber(hiddenCount);
    if (earlier.dataset.i18nVars !== JSON.stringify({ n })) {
      translated(earlier, hiddenCount === 1 ? "pane.earlier.one" : "pane.earlier", { n });
    }
  };
  onLanguageChange(() => {
    earlier.dataset.i18nVars = ""; // its number in the new language's format
    showEarlier();
  });
  let frameAsked = false;
  const frame = () => {
    frameAsked = false;
    onShown();
    showEarlier();
    if (arrived && following) list.scrollTop = list.scrollHeight; // the newest in view, unless the reader scrolled up
    arrived = false;
  };

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
    li.append(element("b", undefined, message.user), " ", element("span", "text", message.text));
    return li;
  };
  return {
    list,
    earlier,
    show(messages) {
      const items = document.createDocumentFragment();
      for (const [i, message] of messages.entries()) {
        const now = Date.now() + clockOffset();
        const times = (timesShown.get(message.id) ?? 0) + 1;
        timesShown.set(message.id, times);
        shownTotal++;
        if (times === 1 && message.sentAt >= startedAt) meter.addLatency(Math.max(0, now - message.sentAt));
        // A long history: what would leave the list at once is counted, never drawn.
        if (i < messages.length - MAX_SHOWN_MESSAGES) hiddenCount++;
        else items.append(item(message, times));
      }
      list.append(items);
      for (let over = list.childElementCount - MAX_SHOWN_MESSAGES; over > 0; over--) {
        list.firstElementChild!.remove();
        hiddenCount++;
      }
      arrived ||= messages.length > 0;
      if (!frameAsked) {
        frameAsked = true;
        requestAnimationFrame(frame);
      }
    },
    forgetIds: () => timesShown.clear(),
    restart(now) {
      list.replaceChildren();
      timesShown.clear();
      shownTotal = 0;
      hiddenCount = 0;
      following = true;
      startedAt = now;
      showEarlier();
    },
    clearBefore(firstId) {
      for (const li of [...list.children] as HTMLElement[]) if (Number(li.dataset.id) < firstId) li.remove();
      for (const [id, times] of timesShown)
        if (id < firstId) {
          timesShown.delete(id);
          shownTotal -= times;
        }
      onShown();
    },
    shownSoFar: () => ({ total: shownTotal, distinct: timesShown.size }),
  };
}
