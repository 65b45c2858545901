/**
 * Small hand-drawn SVG charts for the offline report (no CDN, no chart library in the page): a line chart with
 * optional log axes, and a bar chart. Every text goes through `escapeXml`.
 */

export interface Series {
  name: string;
  points: [number, number][];
  /** Palette index (default: the series' own index), so a measurement and its fitted line share a colour. */
  color?: number;
  /** A fitted or modelled line: dashed, no dots (default: the dash cycles by index, dots drawn). */
  fitted?: boolean;
}

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { left: 70, right: 220, top: 36, bottom: 48 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

export const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const fmt = (n: number) =>
  Math.abs(n) >= 1e6 ? `${n / 1e6}M` : Math.abs(n) >= 1e3 ? `${n / 1e3}k` : `${Number(n.toPrecision(3))}`;

/** Tick values: powers of ten on a log axis, else about five round steps. */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((max - min) / 5 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

function scale(min: number, max: number, log: boolean, from: number, to: number) {
  const f = log ? Math.log10 : (v: number) => v;
  const a = f(min);
  const b = f(max);
  return (v: number) => from + ((f(v) - a) / (b - a || 1)) * (to - from);
}

function frame(title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>
<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>
${body}</svg>`;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xLog?: boolean;
  yLog?: boolean;
  /** Draw as steps (for a CDF). */
  step?: boolean;
}

export function lineChart(options: LineChartOptions): string {
  const points = options.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => (!options.xLog || x > 0) && (!options.yLog || y > 0));
  if (points.length === 0)
    return frame(options.title, `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no data</text>`);
  let [xMin, xMax] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0]))];
  let [yMin, yMax] = [Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[1]))];
  if (options.xLog) [xMin, xMax] = [10 ** Math.floor(Math.log10(xMin)), 10 ** Math.ceil(Math.log10(xMax))];
  if (options.yLog) [yMin, yMax] = [10 ** Math.floor(Math.log10(yMin)), 10 ** Math.ceil(Math.log10(yMax))];
  else [yMin, yMax] = [Math.min(0, yMin), yMax === yMin ? yMin + 1 : yMax];
  if (!options.xLog && xMax === xMin) xMax = xMin + 1;
  const x = scale(xMin, xMax, !!options.xLog, MARGIN.left, WIDTH - MARGIN.right);
  const y = scale(yMin, yMax, !!options.yLog, HEIGHT - MARGIN.bottom, MARGIN.top);
  const parts: string[] = [];
  for (const t of ticks(xMin, xMax, !!options.xLog)) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${MARGIN.top}" y2="${HEIGHT - MARGIN.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${x(t)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of ticks(yMin, yMax, !!options.yLog)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${WIDTH - MARGIN.left - MARGIN.right}" height="${HEIGHT - MARGIN.top - MARGIN.bottom}" fill="none" stroke="#999"/>`,
  );
  parts.push(
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(16 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  options.series.forEach((series, i) => {
    const color = COLORS[(series.color ?? i) % COLORS.length];
    const pts = series.points.filter(([px, py]) => (!options.xLog || px > 0) && (!options.yLog || py > 0));
    const coords: string[] = [];
    pts.forEach(([px, py], j) => {
      if (options.step && j > 0) coords.push(`${x(px).toFixed(1)},${y(pts[j - 1]![1]).toFixed(1)}`);
      coords.push(`${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    });
    // Solid, dashed, dotted in turn, so two modes with the same curve (polling and conditional polling) both show.
    const dash = series.fitted
      ? ' stroke-dasharray="7 4"'
      : ["", ' stroke-dasharray="7 4"', ' stroke-dasharray="2 3"'][i % 3];
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${coords.join(" ")}"/>`);
    if (!options.step && !series.fitted)
      for (const [px, py] of pts)
        parts.push(`<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 10 + i * 18;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 28}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"${dash}/>`,
    );
    parts.push(`<text x="${WIDTH - MARGIN.right + 32}" y="${ly + 4}">${escapeXml(series.name)}</text>`);
  });
  return frame(options.title, parts.join("\n"));
}

export interface Bar {
  label: string;
  value: number;
  /** Text shown above the bar (default: the value). */
  text?: string;
}

export function barChart(title: string, yLabel: string, bars: Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const y = scale(0, max, false, HEIGHT - MARGIN.bottom, MARGIN.top + 10);
  const slot = (WIDTH - MARGIN.left - 20) / Math.max(1, bars.length);
  const parts = [`<line x1="${MARGIN.left}" x2="${WIDTH - 20}" y1="${y(0)}" y2="${y(0)}" stroke="#999"/>`];
  parts.push(
    `<text transform="translate(16 ${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  bars.forEach((bar, i) => {
    const left = MARGIN.left + i * slot + slot * 0.15;
    const width = slot * 0.7;
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${y(bar.value).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(0) - y(bar.value)).toFixed(1)}" fill="${COLORS[i % COLORS.length]}"/>`,
    );
    parts.push(
      `<text x="${(left + width / 2).toFixed(1)}" y="${(y(bar.value) - 4).toFixed(1)}" text-anchor="middle">${escapeXml(bar.text ?? fmt(bar.value))}</text>`,
    );
    parts.push(
      `<text x="${(left + width / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(bar.label)}</text>`,
    );
  });
  return frame(title, parts.join("\n"));
}
