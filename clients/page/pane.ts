import type { Message, PaneTotalsBody, TrafficTotals } from "../../shared/protocol.ts";
import { labelKey, slidesPair, toggleKey, TRANSPORT_IDS, type TransportId } from "../../shared/transports.ts";
import { element } from "./dom.ts";
import { type Problem, showProblem } from "./errors.ts";
import { onLanguageChange, t, translated, type StringKey, type Vars } from "./i18n.ts";
import { TrafficMeter } from "./meter.ts";
import { MODES, type RunningMode } from "./modes.ts";
import { formatMs, formatNumber, formatPageBytes } from "./numbers.ts";
import { watchTotals } from "./pane-totals.ts";
import { createTimeline } from "./timeline.ts";

/** Most messages a pane keeps on screen; the naive poller would otherwise grow the page without end. */
const MAX_SHOWN_MESSAGES = 300;

interface PaneOptions {
  mode: TransportId;
  interval: number;
  /** Server clock minus ours, so latency = our now + offset − sentAt. */
  clockOffset: () => number;
  userName: () => string;
  /** Called when the person picks another transport for this pane (the page keeps it in the URL). */
  onModeChange?: (mode: TransportId) => void;
  /** Read the server's totals for the counters (clients/page/pane-totals.ts); off in the bench's quiet tabs. */
  readTotals?: boolean;
  /** The pane's summary for screen readers (clients/page/announcer.ts decides when it is read out). */
  announce?: (text: string) => void;
}

/** A pane's id on the wire (`?p=<id>.<transport>`): six random characters, new for each transport it runs. */
const newPaneId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => (byte % 36).toString(36)).join("");

const ZERO: TrafficTotals = { requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 };

/** Keys that turn the slides (clients/page/presenter.ts): on a closed menu they would silently switch the transport. */
const NOT_A_CHOICE = new Set(["ArrowLeft", "ArrowRight", "PageUp", "PageDown"]);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** One chat pane: a transport, its messages, its counters and a box to send from. All user text goes in as textContent. */
export function createPane(options: PaneOptions): HTMLElement {
  const meter = new TrafficMeter();
  const pane = element("section", "pane");
  pane.dataset.mode = options.mode;

  const header = element("header");
  const title = element("h2");
  const blurb = element("p", "blurb");
  const status = element("p", "status");
  header.append(title, blurb, status);

  // Any transport in this pane: picking one restarts the pane with it.
  const picker = element("select", "mode-picker");
  translated(picker, "pane.picker", undefined, "aria-label");
  // The menu changes only when someone picks from it: Up/Down, a click, or typing a name, not a slide key.
  picker.addEventListener("keydown", (event) => NOT_A_CHOICE.has(event.key) && event.preventDefault());
  for (const id of TRANSPORT_IDS) picker.append(translated(new Option("", id), labelKey(id, "name")));

  // A transport with a slides' version (shared/transports.ts) gets a box to switch to it and back.
  const naiveToggle = element("label", "naive-toggle");
  const naiveBox = element("input");
  naiveBox.type = "checkbox";
  const naiveLabel = element("span");
  naiveToggle.append(naiveBox, " ", naiveLabel);
  // The pane's own controls on a row of their own, above the title: they wrap on a phone instead of squeezing it.
  const controls = element("div", "pane-controls");
  controls.append(picker, naiveToggle);
  header.prepend(controls);

  // The server's own figures for this pane, counted at its TCP socket (pane-totals.ts); the tooltip says so.
  const counters = translated(element("dl", "counters"), "pane.counters.title", undefined, "title");
  const counter = (name: string) => {
    const value = element("dd", undefined, "0");
    value.dataset.counter = name;
    // A group per figure, so the figures wrap into rows on a narrow pane. Labels: clients/page/i18n.ts.
    const group = element("div");
    group.append(translated(element("dt"), `pane.${name}` as StringKey), value);
    counters.append(group);
    return value;
  };
  const requests = counter("requests");
  const empty = counter("empty");
  const received = counter("received");
  const sent = counter("sent");
  const latencyLast = counter("latency-last");
  const latencyMedian = counter("latency-median");
  const protocol = counter("protocol");
  // Every message put on screen, and how many different ones: the naive loop's repetition as a figure.
  const shownCounter = counter("shown");
  // Below them: the history, paid once and kept apart; "as the server saw it" behind a proxy; the reset button.
  const history = element("p", "history");
  translated(history, "pane.history.title", undefined, "title");
  history.hidden = true;
  const proxied = translated(element("p", "proxied"), "pane.proxied");
  proxied.hidden = true;
  const reset = translated(element("button", "reset"), "pane.reset");
  reset.type = "button";
  const footer = element("div", "counters-note");
  footer.append(history, proxied, reset);

  const list = element("ol", "messages");
  // It scrolls: reachable by keyboard, and named for a screen reader.
  list.tabIndex = 0;
  translated(list, "pane.messages", undefined, "aria-label");
  const problem = element("p", "error");
  problem.setAttribute("role", "alert");
  const form = element("form", "send");
  const input = element("input");
  input.name = "text";
  translated(input, "pane.placeholder", undefined, "placeholder");
  input.autocomplete = "off";
  const button = translated(element("button"), "pane.send");
  form.append(input, button);

  // The last 30 s of this pane's traffic, drawn from the same meter as the counters above it.
  const timeline = createTimeline(meter, options.clockOffset);

  pane.append(header, counters, footer, timeline, list, problem, form);

  // The server's readings: the first is the history (paid once), the counters show what came after it (or after reset).
  let latest: PaneTotalsBody | undefined;
  let first: PaneTotalsBody | undefined;
  let zero: TrafficTotals = ZERO;
  const show = (dd: HTMLElement, value: number, format: (n: number) => string, measured = true) => {
    dd.dataset.value = String(value);
    dd.textContent = measured ? format(value) : "–";
  };
  const render = () => {
    const now = latest ?? ZERO;
    const measured = latest?.bytesCounted ?? true;
    show(requests, now.requests - zero.requests, formatNumber);
    show(empty, now.emptyAnswers - zero.emptyAnswers, formatNumber);
    show(received, now.bytesOut - zero.bytesOut, formatPageBytes, measured);
    show(sent, now.bytesIn - zero.bytesIn, formatPageBytes, measured);
    pane.dataset.requestsMade = String(meter.requestsMade);
    history.hidden = !first || !measured;
    if (first) {
      history.dataset.requests = String(first.requests);
      history.dataset.bytesIn = String(first.bytesIn);
      history.dataset.bytesOut = String(first.bytesOut);
      const bytes = { received: formatPageBytes(first.bytesOut), sent: formatPageBytes(first.bytesIn) };
      translated(history, "pane.history", bytes);
    }
    proxied.hidden = !latest?.proxied;
    const last = meter.latencies[meter.latencies.length - 1];
    latencyLast.textContent = last === undefined ? "–" : formatMs(last);
    latencyMedian.textContent = last === undefined ? "–" : formatMs(median(meter.latencies)!);
    protocol.textContent = meter.protocol ?? "–";
    shownCounter.textContent = `${formatNumber(shownTotal)} / ${formatNumber(timesShown.size)}`;
    const figures = {
      messages: timesShown.size,
      requests: now.requests - zero.requests,
      empty: now.emptyAnswers - zero.emptyAnswers,
    };
    options.announce?.(t("pane.announce", { pane: t(labelKey(shown, "name")), ...figures }));
  };
  meter.onChange(render);
  onLanguageChange(render); // numbers too: "23.4 kB" becomes "23,4 kB"
  const onReading = (totals: PaneTotalsBody) => {
    if (!first) zero = first = totals;
    latest = totals;
    render();
  };
  reset.addEventListener("click", () => {
    zero = latest ?? ZERO;
    meter.latencies.length = 0;
    render();
  });

  /** How many times each message id has been put on screen: more than once only with the naive loop. */
  const timesShown = new Map<number, number>();
  let shownTotal = 0;
  let startedAt = 0; // server clock; history from before the pane started has no delivery latency to show
  const showMessages = (messages: Message[]) => {
    for (const message of messages) {
      const now = Date.now() + options.clockOffset();
      const times = (timesShown.get(message.id) ?? 0) + 1;
      timesShown.set(message.id, times);
      shownTotal++;
      if (times === 1 && message.sentAt >= startedAt) meter.addLatency(Math.max(0, now - message.sentAt));
      const item = element("li");
      item.dataset.id = String(message.id);
      if (times > 1) {
        // Shown again: dimmed, with a badge counting the times, so the class sees the repetition without reading bytes.
        item.className = "again";
        item.dataset.shown = String(times);
        item.append(translated(element("span", "times"), "pane.again", { n: times }), " ");
      }
      item.append(element("b", undefined, message.user), " ", element("span", undefined, message.text));
      list.append(item);
    }
    render();
    while (list.childElementCount > MAX_SHOWN_MESSAGES) list.firstElementChild!.remove();
    if (messages.length > 0) list.scrollTop = list.scrollHeight;
  };

  let running: RunningMode;
  let stopReading = () => {};
  let shown: TransportId;
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
    picker.value = mode;
    const pair = slidesPair(mode);
    naiveToggle.hidden = !pair;
    naiveBox.checked = mode === pair?.slides;
    if (pair) translated(naiveLabel, toggleKey(pair.slides));
    list.replaceChildren();
    timesShown.clear();
    shownTotal = 0;
    // A new id for each transport: its totals, and its history, start from nothing.
    const id = newPaneId();
    pane.dataset.paneId = id;
    meter.reset(`${id}.${mode}`);
    latest = first = undefined;
    zero = ZERO;
    if (options.readTotals !== false) stopReading = watchTotals(id, meter, onReading);
    startedAt = Date.now() + options.clockOffset();
    translated(title, labelKey(mode, "title"), { interval: options.interval });
    translated(blurb, labelKey(mode, "blurb"));
    running = MODES[mode].start({
      meter,
      interval: options.interval,
      show: live(showMessages),
      newHistory: live(() => timesShown.clear()), // ids start again: a new id 3 is not the old one
      status: live((key: StringKey, vars?: Vars) => translated(status, key, vars)),
      error: live((code: Problem) => showProblem(problem, code)),
    });
  };
  const choose = (mode: TransportId) => {
    start(mode);
    options.onModeChange?.(mode);
  };
  naiveBox.addEventListener("change", () => {
    const pair = slidesPair(shown);
    if (pair) choose(naiveBox.checked ? pair.slides : pair.fixed);
  });
  picker.addEventListener("change", () => choose(picker.value as TransportId));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showProblem(problem, undefined);
    try {
      await running.send({ user: options.userName(), text: input.value });
      input.value = "";
    } catch {
      showProblem(problem, "network"); // no answer at all (the browser's own words would be English)
    }
  });

  start(options.mode);
  render();
  return pane;
}
