import type { PaneTotalsBody, TrafficTotals } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { onLanguageChange, translated, type StringKey } from "../ui/i18n.ts";
import { formatMs, formatNumber, formatPageBytes } from "../ui/numbers.ts";
import type { TrafficMeter } from "./meter.ts";

const ZERO: TrafficTotals = { requests: 0, emptyAnswers: 0, bytesIn: 0, bytesOut: 0 };

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

  return {
    counters,
    footer,
    history,
    proxied,
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
  const { counters, footer, history, proxied, reset, ...figures } = counterElements();
  const { requests, empty, received, sent, latencyLast, latencyMedian, protocol, shownCounter } = figures;

  let latest: PaneTotalsBody | undefined;
  let first: PaneTotalsBody | undefined;
  let zero: TrafficTotals = ZERO;
  const show = (dd: HTMLElement, value: number, format: (n: number) => string, measured = true) => {
    dd.dataset.value = String(value);
    dd.textContent = measured ? format(value) : "–";
  };
  const showHistory = (measured: boolean) => {
    history.hidden = !first || !measured;
    if (!first) return;
    history.dataset.requests = String(first.requests);
    history.dataset.bytesIn = String(first.bytesIn);
    history.dataset.bytesOut = String(first.bytesOut);
    const bytes = { received: formatPageBytes(first.bytesOut), sent: formatPageBytes(first.bytesIn) };
    translated(history, "pane.history", bytes);
  };
  const render = () => {
    const now = latest ?? ZERO;
    const measured = latest?.bytesCounted ?? true;
    show(requests, now.requests - zero.requests, formatNumber);
    show(empty, now.emptyAnswers - zero.emptyAnswers, formatNumber);
    show(received, now.bytesOut - zero.bytesOut, formatPageBytes, measured);
    show(sent, now.bytesIn - zero.bytesIn, formatPageBytes, measured);
    showHistory(measured);
    proxied.hidden = !latest?.proxied;
    const last = meter.latencies[meter.latencies.length - 1];
    latencyLast.textContent = last === undefined ? "–" : formatMs(last);
    latencyMedian.textContent = last === undefined ? "–" : formatMs(median(meter.latencies)!);
    protocol.textContent = meter.protocol ?? "–";
    const { total, distinct } = shownSoFar();
    shownCounter.textContent = `${formatNumber(total)} / ${formatNumber(distinct)}`;
    afterRender({
      messages: distinct,
      requests: now.requests - zero.requests,
      empty: now.emptyAnswers - zero.emptyAnswers,
    });
  };
  meter.onChange(render);
  onLanguageChange(render); // numbers too: "23.4 kB" becomes "23,4 kB"
  reset.addEventListener("click", () => {
    zero = latest ?? ZERO;
    meter.latencies.length = 0;
    render();
  });
  return {
    elements: [counters, footer],
    render,
    onReading(totals) {
      if (!first) zero = first = totals;
      latest = totals;
      render();
    },
    restart() {
      latest = first = undefined;
      zero = ZERO;
    },
  };
}
