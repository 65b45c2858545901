import type { PaneTotalsBody, TrafficTotals } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { onLanguageChange, t, translated, type StringKey } from "../ui/i18n.ts";
import { formatMs, formatNumber, formatPageBytes } from "../ui/numbers.ts";
import type { TrafficMeter } from "./meter.ts";

const ZERO: TrafficTotals = { requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 };
/** Messages a pane waits for before it shows a median latency: one lucky sample can show the lesson backwards. */
const MIN_LATENCY_SAMPLES = 5;

const plus = (a: TrafficTotals, b: TrafficTotals): TrafficTotals => ({
  requests: a.requests + b.requests,
  emptyAnswers: a.emptyAnswers + b.emptyAnswers,
  bytesIn: a.bytesIn + b.bytesIn,
  bytesOut: a.bytesOut + b.bytesOut,
});

/** Writes only what changed: an unchanged write still costs the page a style and layout pass. */
const setText = (node: Node, text: string) => {
  if (node.textContent !== text) node.textContent = text;
};
const setHidden = (node: HTMLElement, hidden: boolean) => {
  if (node.hidden !== hidden) node.hidden = hidden;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Messages put on screen: every time (`total`) and how many different ones (`distinct`). */
export interface ShownSoFar {
  total: number;
  distinct: number;
}

/** The figures a render showed: the pane words them for a screen reader. */
export interface PaneFigures {
  messages: number;
  requests: number;
  empty: number;
}

export interface PaneCounters {
  /** The figures, then the note below them (the history, "as the server saw it", the reset button). */
  elements: HTMLElement[];
  /** Shows the meter's and the server's latest figures. */
  render(): void;
  /** One reading of the server's totals for this pane (pane-totals.ts). */
  onReading(totals: PaneTotalsBody): void;
  /** A new transport: no reading yet, counting from zero. */
  restart(): void;
  /** A new chat: the figures count again from this reading. */
  newChat(totals: PaneTotalsBody): void;
}

/** The figures (a `dd` each, in a group with its label) and the note below them. */
function counterElements() {
  const counters = translated(element("dl", "counters"), "pane.counters.title", undefined, "title");
  const counter = (name: string) => {
    const value = element("dd", undefined, "0");
    value.dataset.counter = name;
    // A group per figure, so the figures wrap into rows on a narrow pane. Labels: clients/page/ui/i18n.ts.
    const group = element("div");
    group.append(translated(element("dt"), `pane.${name}` as StringKey), value);
    counters.append(group);
    return value;
  };
  const requests = counter("requests");
  const empty = counter("empty");
  const received = counter("received");
  const sent = counter("sent");
  // The median first, from MIN_LATENCY_SAMPLES on: one sample can show the lesson backwards, the median of a few not.
  const latencyMedian = counter("latency-median");
  const latencyLast = counter("latency-last");
  const protocol = counter("protocol");
  // Every message put on screen, and how many different ones: the naive loop's repetition as a figure.
  const shownCounter = counter("shown");
  // Below them: the history, paid once and kept apart; "as the server saw it" behind a proxy; the reset button.
  const history = element("p", "history");
  translated(history, "pane.history.title", undefined, "title");
  history.hidden = true;
  const proxied = translated(element("p", "proxied"), "pane.proxied");
  proxied.hidden = true;
  // The server restarted under this pane: its counts start again from zero there, and carry on here.
  const restarted = translated(element("p", "restarted"), "pane.restarted");
  restarted.hidden = true;
  const reset = translated(element("button", "reset"), "pane.reset");
  reset.type = "button";
  const footer = element("div", "counters-note");
  footer.append(history, proxied, restarted, reset);

  return {
    counters,
    footer,
    history,
    proxied,
    restarted,
    reset,
    requests,
    empty,
    received,
    sent,
    latencyLast,
    latencyMedian,
    protocol,
    shownCounter,
  };
}

/**
 * A pane's counters: the server's own figures for this pane, counted at its TCP socket (pane-totals.ts), the
 * latencies and protocol from its meter. The first reading is the history, paid once and shown apart; the figures
 * count what came after it, or after the reset button.
 */
export function createPaneCounters(
  meter: TrafficMeter,
  shownSoFar: () => ShownSoFar,
  afterRender: (figures: PaneFigures) => void,
): PaneCounters {
  const { counters, footer, history, proxied, restarted, reset, ...figures } = counterElements();
  const { requests, empty, received, sent, latencyLast, latencyMedian, protocol, shownCounter } = figures;

  let latest: PaneTotalsBody | undefined;
  let first: PaneTotalsBody | undefined;
  let zero: TrafficTotals = ZERO;
  /** What the server counted before it restarted: the new server counts this pane from zero again. */
  let carried: TrafficTotals = ZERO;
  const show = (dd: HTMLElement, value: number, format: (n: number) => string, measured = true) => {
    if (dd.dataset.value !== String(value)) dd.dataset.value = String(value);
    setText(dd, measured ? format(value) : "–");
    if (measured) dd.removeAttribute("title");
    else dd.title = t("pane.bytes-unknown"); // why there is no figure, rather than a 0 that would be wrong
  };
  let historyShown = "";
  const showHistory = (measured: boolean) => {
    setHidden(history, !first || !measured);
    if (!first) return;
    const bytes = { received: formatPageBytes(first.bytesOut), sent: formatPageBytes(first.bytesIn) };
    if (JSON.stringify(bytes) === historyShown) return;
    historyShown = JSON.stringify(bytes);
    history.dataset.requests = String(first.requests);
    history.dataset.bytesIn = String(first.bytesIn);
    history.dataset.bytesOut = String(first.bytesOut);
    translated(history, "pane.history", bytes);
  };
  const render = () => {
    const now = plus(carried, latest ?? ZERO);
    const measured = latest?.bytesCounted ?? true;
    show(requests, now.requests - zero.requests, formatNumber);
    show(empty, now.emptyAnswers - zero.emptyAnswers, formatNumber);
    show(received, now.bytesOut - zero.bytesOut, formatPageBytes, measured);
    show(sent, now.bytesIn - zero.bytesIn, formatPageBytes, measured);
    showHistory(measured);
    setHidden(proxied, !latest?.proxied);
    const last = meter.latencies[meter.latencies.length - 1];
    setText(latencyLast, last === undefined ? "–" : formatMs(last));
    const samples = meter.latencies.length;
    latencyMedian.dataset.samples = String(samples);
    setText(
      latencyMedian,
      samples < MIN_LATENCY_SAMPLES ? "–" : `${formatMs(median(meter.latencies)!)} (n=${formatNumber(samples)})`,
    );
    setText(protocol, meter.protocol ?? "–");
    const { total, distinct } = shownSoFar();
    setText(shownCounter, `${formatNumber(total)} / ${formatNumber(distinct)}`);
    afterRender({
      messages: distinct,
      requests: now.requests - zero.requests,
      empty: now.emptyAnswers - zero.emptyAnswers,
    });
  };
  // Drawn at most once a frame, and not while the tab is hidden (no frames run then).
  let asked = false;
  const redraw = () => {
    if (asked) return;
    asked = true;
    requestAnimationFrame(() => {
      asked = false;
      render();
    });
  };
  meter.onChange(redraw);
  onLanguageChange(() => {
    historyShown = ""; // numbers too: "23.4 kB" becomes "23,4 kB"
    render();
  });
  reset.addEventListener("click", () => {
    zero = plus(carried, latest ?? ZERO);
    meter.latencies.length = 0;
    render();
  });
  return {
    elements: [counters, footer],
    render,
    onReading(totals) {
      if (latest && totals.boot !== latest.boot) {
        // A restart: what was counted so far is kept, and the new server's counts are added to it.
        carried = plus(carried, latest);
        restarted.hidden = false;
      }
      if (!first) zero = first = totals;
      latest = totals;
      redraw();
    },
    restart() {
      historyShown = "";
      latest = first = undefined;
      zero = carried = ZERO;
      restarted.hidden = true;
    },
    newChat(totals) {
      zero = totals;
      carried = ZERO;
      restarted.hidden = true;
      latest = totals;
      render();
    },
  };
}
