import uPlot from "uplot";
import { labelKey, TRANSPORT_IDS, type TransportId } from "../../shared/transports.ts";
import { element } from "../page/ui/dom.ts";
import { onLanguageChange, t, translated, type StringKey } from "../page/ui/i18n.ts";
import { formatNumber, formatPageBytes } from "../page/ui/numbers.ts";
import type { Rates } from "./rates.ts";

/** The transports drawn: the server cannot tell the slides' connect() from the fixed one, so "socket" has both. */
export const CHARTED = TRANSPORT_IDS.filter((id) => id !== "naive-socket");
/**
 * One colour per transport, in the charts and in "who is here": the Okabe–Ito palette, which stays distinct for the
 * common colour-blindnesses (the lesson's pair, polling and the socket, are vermillion and blue); each line also has
 * its own dash, so no two are told apart by colour alone.
 */
export const COLORS: Record<TransportId, string> = {
  polling: "#d55e00",
  naive: "#cc79a7",
  conditional: "#e69f00",
  longpoll: "#000000",
  sse: "#009e73",
  socket: "#0072b2",
  "naive-socket": "#0072b2",
};
/** Each line's dash (canvas setLineDash); solid for the lesson's pair. */
const DASHES: Record<TransportId, number[]> = {
  polling: [],
  naive: [3, 5],
  conditional: [12, 6],
  longpoll: [2, 4],
  sse: [14, 4, 3, 4],
  socket: [],
  "naive-socket": [],
};
/** The byte charts draw a moving average over this many readings: a socket's join (its history, in one second)
 * would otherwise be a spike that makes the socket look costlier than polling. `data-last` keeps the raw values. */
const SMOOTH_POINTS = 5;
/** Tick steps: whole numbers only (1, 2, 5 × 10ⁿ), so no axis repeats a rounded label ("1 B 1 B 0 B"). */
const WHOLE_STEPS = Array.from({ length: 10 }, (_, n) => [1, 2, 5].map((step) => step * 10 ** n)).flat();
/** x-axis ticks: every 30 s back from the newest reading, whether or not the chart has data yet. */
const X_STEP_S = 30;
/** The last few minutes, one point a second. */
const WINDOW_POINTS = 180;

type PerTransport = "requests" | "bytesIn" | "bytesOut" | "emptyAnswers";
interface ChartSpec {
  key: PerTransport | "cpu";
  title: StringKey;
  format: (value: number) => string;
  /** Drawn as a moving average (SMOOTH_POINTS). */
  smooth?: boolean;
}
const perSecond = (value: number) => formatNumber(value, undefined, { maximumFractionDigits: 1 });
const CHARTS: ChartSpec[] = [
  { key: "requests", title: "class.chart.requests", format: perSecond },
  { key: "bytesOut", title: "class.chart.bytesOut", format: (value) => formatPageBytes(value), smooth: true },
  { key: "bytesIn", title: "class.chart.bytesIn", format: (value) => formatPageBytes(value), smooth: true },
  { key: "emptyAnswers", title: "class.chart.empty", format: perSecond },
  { key: "cpu", title: "class.chart.cpu", format: perSecond },
];

/** uPlot's options for a chart of one or several series, with large type for a projector. */
function options(spec: ChartSpec, width: number, height: number): uPlot.Options {
  const font = "16px system-ui, sans-serif";
  const axis = { font, stroke: "#222", grid: { stroke: "#ddd" }, ticks: { stroke: "#ddd" } };
  const series: uPlot.Series[] =
    spec.key === "cpu"
      ? [{ label: "CPU", stroke: "#111", width: 3 }]
      : CHARTED.map((id) => ({ label: t(labelKey(id, "name")), stroke: COLORS[id], width: 3, dash: DASHES[id] }));
  // Seconds before the newest reading ("−30 s"), not clock times: what a class reads at a glance. The window is the
  // last few minutes from the first reading on, so the ticks are clean before there is anything to draw.
  const newest = (u: uPlot) => u.data[0].at(-1) ?? Date.now() / 1000;
  const ago = (u: uPlot, ticks: number[]) =>
    ticks.map((tick) => (tick === newest(u) ? "0" : t("timeline.ago", { n: Math.round(newest(u) - tick) })));
  const splits = (u: uPlot) =>
    Array.from({ length: Math.floor(WINDOW_POINTS / X_STEP_S) + 1 }, (_, k) => newest(u) - k * X_STEP_S).reverse();
  return {
    width,
    height,
    series: [{}, ...series],
    axes: [
      { ...axis, values: ago, splits },
      { ...axis, size: 90, incrs: WHOLE_STEPS, values: (_u, ticks) => ticks.map((v) => spec.format(v)) },
    ],
    scales: {
      x: { time: false, range: (u) => [newest(u) - WINDOW_POINTS, newest(u)] },
      y: { range: (_u, _min, max) => [0, Math.max(max, spec.key === "cpu" ? 10 : 1)] },
    },
    cursor: { show: false },
    legend: { show: false }, // "who is here" is the legend: the same colours, with the names and the counts
  };
}

/**
 * What the room costs, live: one time-series chart per cost (uPlot, bundled: no CDN), one line per transport. Each
 * chart's figure carries its newest values in `data-last` (JSON), for a person's devtools and for the tests.
 *
 * Long on purpose: uPlot's options for all charts in one place, so they stay alike.
 */
export function createCharts(): { root: HTMLElement; add(rates: Rates): void; clear(): void; resize(): void } {
  const root = element("section", "charts");
  const times: number[] = [];
  const values = new Map<string, number[]>(); // "<chart>:<transport>" or "cpu"
  const column = (key: string) => values.get(key) ?? values.set(key, []).get(key)!;
  const charts = CHARTS.map((spec) => {
    const figure = element("figure", "chart");
    figure.dataset.chart = spec.key;
    const plot = element("div");
    figure.append(translated(element("figcaption"), spec.title), plot);
    root.append(figure);
    return { spec, figure, plot, chart: undefined as uPlot | undefined };
  });
  const drawn = (spec: ChartSpec, key: string) => (spec.smooth ? movingAverage(column(key)) : column(key));
  const data = (spec: ChartSpec): uPlot.AlignedData =>
    spec.key === "cpu" ? [times, column("cpu")] : [times, ...CHARTED.map((id) => drawn(spec, `${spec.key}:${id}`))];
  // Three rows of charts below the title bar, each with its caption and legend: a box's own height would grow with
  // the chart inside it, so the height comes from the window.
  const size = (plot: HTMLElement) => ({
    width: Math.max(200, plot.clientWidth),
    height: Math.max(120, Math.floor((innerHeight - 90) / 3) - 40),
  });

  /** Made again on a language change (the legend's names) and when the window is resized. */
  function build() {
    for (const entry of charts) {
      entry.chart?.destroy();
      const { width, height } = size(entry.plot);
      entry.chart = new uPlot(options(entry.spec, width, height), data(entry.spec), entry.plot);
    }
  }
  onLanguageChange(build);
  requestAnimationFrame(build); // once laid out, so the charts take their boxes' size

  return {
    root,
    add(rates) {
      times.push(rates.at);
      column("cpu").push(rates.cpuPercent ?? NaN);
      for (const id of CHARTED) {
        for (const key of ["requests", "bytesIn", "bytesOut", "emptyAnswers"] as const) {
          column(`${key}:${id}`).push(rates.transports[id][key]);
        }
      }
      if (times.length > WINDOW_POINTS) for (const list of [times, ...values.values()]) list.shift();
      for (const { spec, figure, chart } of charts) {
        const last =
          spec.key === "cpu"
            ? { cpu: rates.cpuPercent }
            : Object.fromEntries(CHARTED.map((id) => [id, rates.transports[id][spec.key as PerTransport]]));
        figure.dataset.last = JSON.stringify(last);
        chart?.setData(data(spec));
      }
    },
    clear() {
      for (const list of [times, ...values.values()]) list.length = 0;
      for (const { spec, chart } of charts) chart?.setData(data(spec));
    },
    resize() {
      for (const { plot, chart } of charts) chart?.setSize(size(plot));
    },
  };
}

/** Each value as the mean of it and the few before it (fewer at the start). */
function movingAverage(values: number[]): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - SMOOTH_POINTS + 1), i + 1);
    return window.reduce((sum, value) => sum + value, 0) / window.length;
  });
}
