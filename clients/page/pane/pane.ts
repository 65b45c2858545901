import type { PaneTotalsBody } from "../../../shared/protocol.ts";
import type { TransportId } from "../../../shared/transports.ts";
import { labelKey } from "../../../shared/transports.ts";
import { element } from "../ui/dom.ts";
import { type Problem, showProblem } from "../ui/errors.ts";
import { t, translated, type StringKey, type Vars } from "../ui/i18n.ts";
import { createMessageList } from "./message-list.ts";
import { TrafficMeter } from "./meter.ts";
import { createPaneCounters } from "./pane-counters.ts";
import { createPaneHeader } from "./pane-header.ts";
import { MODES, type RunningMode } from "./pane-modes.ts";
import { createPaneRoom } from "./pane-room.ts";
import { watchTotals } from "./pane-totals.ts";
import { createTimeline } from "./timeline.ts";

interface PaneOptions {
  mode: TransportId;
  interval: number;
  /** Server clock minus ours, so latency = our now + offset − sentAt. */
  clockOffset: () => number;
  userName: () => string;
  /** Called when the person picks another transport for this pane (the page keeps it in the URL). */
  onModeChange?: (mode: TransportId) => void;
  /** Read the server's totals for the counters (clients/page/pane/pane-totals.ts); off in the bench's quiet tabs. */
  readTotals?: boolean;
  /** The pane's summary for screen readers (clients/page/ui/announcer.ts decides when it is read out). */
  announce?: (text: string) => void;
  /** The messages alone, without the strip and the counters (`?bare`): the bench's baseline (bench/scenarios/tab-cost.ts). */
  bare?: boolean;
  /** Whether this browser is the teacher's: a lock on sending does not apply to it. */
  isTeacher?: () => boolean;
}

/** A pane's id on the wire (`?p=<id>.<transport>`): six random characters, new for each transport it runs. */
const newPaneId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => (byte % 36).toString(36)).join("");

/** The box to send from: a failed send says why, and keeps the text. */
function createSendForm(send: (text: string) => Promise<void>, problem: HTMLElement): HTMLFormElement {
  const form = element("form", "send");
  const input = element("input");
  input.name = "text";
  translated(input, "pane.placeholder", undefined, "placeholder");
  input.autocomplete = "off";
  form.append(input, translated(element("button"), "pane.send"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showProblem(problem, undefined);
    try {
      await send(input.value);
      input.value = "";
    } catch {
      showProblem(problem, "network"); // no answer at all (the browser's own words would be English)
    }
  });
  return form;
}

/** One chat pane: a transport, its messages, its counters and a box to send from. All user text goes in as textContent. */
export function createPane(options: PaneOptions): HTMLElement {
  const meter = new TrafficMeter();
  const pane = element("section", "pane");
  let shown: TransportId = options.mode;
  const head = createPaneHeader((mode) => choose(mode));
  const messages = createMessageList(meter, options.clockOffset, () => counters?.render());
  const counters = options.bare
    ? undefined
    : createPaneCounters(meter, messages.shownSoFar, (figures) => {
        if (pane.dataset.requestsMade !== String(meter.requestsMade))
          pane.dataset.requestsMade = String(meter.requestsMade);
        options.announce?.(t("pane.announce", { pane: t(labelKey(shown, "name")), ...figures }));
      });
  const problem = element("p", "error");
  problem.setAttribute("role", "alert");
  const form = createSendForm((text) => running.send({ user: options.userName(), text }), problem);
  // The room's news: a new chat clears the pane (messages and counters), a lock shows before anyone types.
  const room = createPaneRoom(
    {
      newChat(totals) {
        if (totals.room) messages.clearBefore(totals.room.chatFirstId);
        counters?.newChat(totals);
      },
      lock(refused) {
        for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, button"))
          control.disabled = refused;
        pane.dataset.locked = String(refused);
      },
    },
    options.isTeacher ?? (() => false),
  );
  const onReading = (totals: PaneTotalsBody) => {
    counters?.onReading(totals);
    room.onReading(totals);
  };
  pane.append(head.header);
  // The last 30 s of this pane's traffic, drawn from the same meter as the counters above it.
  if (counters) pane.append(...counters.elements, createTimeline(meter, options.clockOffset));
  pane.append(room.notice, messages.earlier, messages.list, problem, room.lockNote, form);

  let running: RunningMode;
  let stopReading = () => {};
  let generation = 0;
  const start = (mode: TransportId) => {
    running?.stop();
    stopReading();
    // A stopped transport may still call back (a socket's close event, a poll in flight): only the current one counts.
    const current = ++generation;
    const live =
      <A extends unknown[]>(callback: (...args: A) => void) =>
      (...args: A) => {
        if (current === generation) callback(...args);
      };
    shown = mode;
    pane.dataset.mode = mode;
    head.show(mode, options.interval);
    messages.restart(Date.now() + options.clockOffset());
    // A new id for each transport: its totals, and its history, start from nothing.
    const id = newPaneId();
    pane.dataset.paneId = id;
    meter.reset(`${id}.${mode}`);
    counters?.restart();
    if (options.readTotals !== false) stopReading = watchTotals(id, meter, onReading);
    running = MODES[mode].start({
      meter,
      interval: options.interval,
      show: live(messages.show),
      newHistory: live(messages.forgetIds), // ids start again: a new id 3 is not the old one
      status: live((key: StringKey, vars?: Vars) => translated(head.status, key, vars)),
      error: live((code: Problem) => showProblem(problem, code)),
    });
  };
  const choose = (mode: TransportId) => {
    start(mode);
    options.onModeChange?.(mode);
  };

  start(options.mode);
  counters?.render();
  return pane;
}
