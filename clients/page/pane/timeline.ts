/**
 * A pane's timeline strip: the last RECORD_WINDOW_MS of what its meter counted (clients/page/pane/meter.ts, `records`),
 * as DevTools' network waterfall would draw it. A poll is a tick when its answer came: tall and blue if it brought
 * messages, short and grey if empty, a ring on top for a 304. A request the server held (long polling) is a bar
 * from request to answer; an open WebSocket or SSE stream is one long bar, flagged 101 or 200 where it opened,
 * with a tick per frame or event. A message is a dashed red line at its `sentAt` (on this browser's clock), across
 * every strip on the page, and the time it waited to reach this pane is shaded. Nothing is drawn that was not counted.
 */
import { onLanguageChange, t } from "../ui/i18n.ts";
import { RECORD_WINDOW_MS, type TrafficMeter, type TrafficRecord } from "./meter.ts";

/** The strip's height in px: the band the layout leaves under the counters. */
const STRIP_HEIGHT = 40;
/**
 * The strip is drawn again once a second (the poll's own rhythm), never while the tab is hidden: at 4 Hz it cost a
 * tab 3.8x its bare twin's CPU (test/e2e/page-cost.test.ts), more than the transport it shows.
 */
const REDRAW_MS = 1000;
/** A vertical grid line every this many ms back from now (they stand still; the traffic moves left past them). */
const GRID_MS = 5_000;

/** What one drawn element is, in px from the strip's left edge (the window's start) to its right edge (now). */
export type Shape =
  | { kind: "request" | "send"; x1: number; x2: number; answer: Answer; ids: number[] }
  | { kind: "connection"; x1: number; xOpen?: number; x2: number; open: boolean; status?: number }
  | { kind: "frame" | "frame-sent"; x: number; answer: "full" | "empty"; ids: number[] }
  | { kind: "wait"; id: number; x1: number; x2: number; ms: number }
  | { kind: "marker"; id: number; x: number }
  | { kind: "grid"; x: number; seconds: number };

/** A request's answer: with messages, empty (`[]`), not modified (304), an error, or not in yet. */
export type Answer = "full" | "empty" | "304" | "error" | "pending";

export interface Scene {
  /** This browser's `Date.now()`: the strip's right edge. */
  now: number;
  width: number;
  /** The server's clock minus ours (clients/page/ui/clock.ts): a message's `sentAt` minus it is our time. */
  offset: number;
  /** When the pane's meter started: older messages (the history) have no wait to show. */
  startedAt: number;
  /**
   * Drawn on a track that moves (createTimeline): x is counted from this time instead of from the window's start,
   * unclamped; what is still open runs past the right edge (to the next-but-one window boundary), so a shape changes
   * only when what it shows does; the grid, which stands still, is left out.
   */
  origin?: number;
}

/** The x of time `at` in a strip `width` px wide whose right edge is `now`. */
export const xOf = (at: number, { now, width }: Pick<Scene, "now" | "width">) =>
  width - ((now - at) / RECORD_WINDOW_MS) * width;

function answerOf(record: TrafficRecord): Answer {
  if (record.end === undefined) return "pending";
  if (record.status === undefined || record.status >= 400) return "error";
  if (record.status === 304) return "304";
  return record.messages.length > 0 ? "full" : "empty";
}

/** The records still in the window: those that ended within it, and those still open. */
export function inWindow(records: readonly TrafficRecord[], now: number): TrafficRecord[] {
  return records.filter((record) => record.end === undefined || record.end >= now - RECORD_WINDOW_MS);
}

/**
 * When each message first reached this pane (the end of the first answer or frame that carried it, our clock), and
 * its `sentAt` (the server's). The naive poller gets each message again and again: only the first delivery waited.
 */
export function firstDeliveries(records: readonly TrafficRecord[]): Map<number, { delivered: number; sentAt: number }> {
  const first = new Map<number, { delivered: number; sentAt: number }>();
  for (const record of records) {
    if ((record.kind !== "request" && record.kind !== "frame") || record.end === undefined) continue;
    for (const { id, sentAt } of record.messages) {
      if (record.end < (first.get(id)?.delivered ?? Infinity)) first.set(id, { delivered: record.end, sentAt });
    }
  }
  return first;
}

/** The grid lines, every GRID_MS back from now: they stand still while the traffic moves left past them. */
function gridShapes(scene: Pick<Scene, "now" | "width">): Shape[] {
  const shapes: Shape[] = [];
  for (let ago = GRID_MS; ago < RECORD_WINDOW_MS; ago += GRID_MS) {
    shapes.push({ kind: "grid", x: xOf(scene.now - ago, scene), seconds: -ago / 1000 });
  }
  return shapes;
}

/** Every shape of one drawing, back to front: grid, waits, markers, bars, ticks. */
export function layout(records: readonly TrafficRecord[], posted: ReadonlyMap<number, number>, scene: Scene): Shape[] {
  const { now, width, offset, startedAt, origin } = scene;
  const onTrack = origin !== undefined;
  // A clock corrected to within a few ms can put a message a hair in the future: it is drawn at the right edge.
  const x = onTrack
    ? (at: number) => ((at - origin) / RECORD_WINDOW_MS) * width
    : (at: number) => Math.min(width, Math.max(0, xOf(at, scene)));
  const openEnd = onTrack ? (Math.floor(now / RECORD_WINDOW_MS) + 2) * RECORD_WINDOW_MS : now;
  const shown = inWindow(records, now);
  const shapes: Shape[] = onTrack ? [] : gridShapes(scene);
  for (const [id, { delivered, sentAt }] of firstDeliveries(shown)) {
    const sent = sentAt - offset;
    if (sent < startedAt) continue; // the history, sent before this pane was listening
    shapes.push({
      kind: "wait",
      id,
      x1: x(Math.min(sent, delivered)),
      x2: x(delivered),
      ms: Math.max(0, delivered - sent),
    });
  }
  for (const [id, sentAt] of posted) {
    if (sentAt - offset >= now - RECORD_WINDOW_MS) shapes.push({ kind: "marker", id, x: x(sentAt - offset) });
  }
  for (const record of shown) {
    const ids = record.messages.map((message) => message.id);
    const x2 = x(record.end ?? openEnd);
    if (record.kind === "request" || record.kind === "send") {
      shapes.push({ kind: record.kind, x1: x(record.start), x2, answer: answerOf(record), ids });
    } else if (record.kind === "connection") {
      // Opened before the window: the bar runs in from the left edge, and its flag has scrolled out of sight.
      const xOpen =
        record.opened === undefined || (!onTrack && xOf(record.opened, scene) < 0) ? undefined : x(record.opened);
      shapes.push({
        kind: "connection",
        x1: x(record.start),
        xOpen,
        x2,
        open: record.opened !== undefined,
        status: record.status,
      });
    } else {
      shapes.push({ kind: record.kind, x: x2, answer: ids.length > 0 ? "full" : "empty", ids });
    }
  }
  return shapes;
}

/** The strip in words, for its accessible name: what was counted in the window, and the longest wait. */
export function describe(shapes: readonly Shape[]): string {
  const count = (test: (shape: Shape) => boolean) => shapes.filter(test).length;
  const requests = count((shape) => shape.kind === "request");
  const parts: string[] = [];
  if (requests > 0) {
    const empty = count((shape) => shape.kind === "request" && (shape.answer === "empty" || shape.answer === "304"));
    parts.push(t("timeline.requests", { n: requests, empty }));
    const notModified = count((shape) => shape.kind === "request" && shape.answer === "304");
    if (notModified > 0) parts.push(t("timeline.not-modified", { n: notModified }));
  }
  const connections = count((shape) => shape.kind === "connection");
  if (connections > 0) parts.push(t("timeline.connections", { n: connections }));
  const frames = count((shape) => shape.kind === "frame");
  if (connections + frames > 0) {
    parts.push(
      t("timeline.frames", { n: frames, full: count((shape) => shape.kind === "frame" && shape.answer === "full") }),
    );
  }
  const sent = count((shape) => shape.kind === "send" || shape.kind === "frame-sent");
  if (sent > 0) parts.push(t("timeline.sent", { n: sent }));
  const waits = shapes.flatMap((shape) => (shape.kind === "wait" ? [shape.ms] : []));
  if (waits.length > 0) parts.push(t("timeline.waits", { n: waits.length, ms: Math.round(Math.max(...waits)) }));
  const seconds = RECORD_WINDOW_MS / 1000;
  return `${t("timeline.label", { seconds })}: ${parts.length > 0 ? parts.join("; ") : t("timeline.nothing")}.`;
}

/** Every message a pane on this page received lately (id → `sentAt`, server clock): each strip draws them all. */
const posted = new Map<number, number>();

function remember(records: readonly TrafficRecord[], serverNow: number): void {
  for (const record of records) for (const { id, sentAt } of record.messages) posted.set(id, sentAt);
  for (const [id, sentAt] of posted) if (sentAt < serverNow - RECORD_WINDOW_MS) posted.delete(id);
}

// The drawing: SVG, so each tick is an element a test can count. y in px, from the top of the band.
const SVG = "http://www.w3.org/2000/svg";
const BASE = 34; // ticks stand on this line; bars run below it
const FULL_TOP = 12; // above it, the grid's labels
const EMPTY_TOP = 25;

function svg(tag: string, attributes: Record<string, string | number>, children: SVGElement[] = []): SVGElement {
  const node = document.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** SVG text, set as textContent like all text on the page. */
function label(attributes: Record<string, string | number>, text: string): SVGElement {
  const node = svg("text", attributes);
  node.textContent = text;
  return node;
}

const tick = (x: number, full: boolean, extra: SVGElement[] = []) => [
  svg("rect", {
    class: full ? "tick full" : "tick empty",
    x: x - (full ? 1.5 : 1),
    y: full ? FULL_TOP : EMPTY_TOP,
    width: full ? 3 : 2,
    height: BASE - (full ? FULL_TOP : EMPTY_TOP),
  }),
  ...extra,
];
const bar = (x1: number, x2: number) =>
  svg("rect", { class: "bar", x: x1, y: BASE, width: Math.max(0, x2 - x1), height: 4 });
/** Something this pane sent: a small triangle pointing down from the top edge. */
const sentMark = (x: number) => svg("path", { class: "sent", d: `M${x - 4} 0h8l-4 6z` });

/** Long on purpose: one SVG drawn in the order its layers stack. */
function draw(shape: Shape): SVGElement {
  const data = (attributes: Record<string, string | number>) => {
    const out: Record<string, string | number> = { "data-kind": shape.kind };
    for (const [name, value] of Object.entries(attributes)) out[`data-${name}`] = value;
    return out;
  };
  switch (shape.kind) {
    case "grid":
      return svg("g", data({ seconds: shape.seconds }), [
        svg("line", { class: "grid", x1: shape.x, x2: shape.x, y1: 0, y2: STRIP_HEIGHT }),
        ...(shape.seconds % 10 === 0 && shape.seconds < 0
          ? [label({ class: "grid-label", x: shape.x + 2, y: 9 }, t("timeline.ago", { n: -shape.seconds }))]
          : []),
      ]);
    case "wait":
      return svg("rect", {
        ...data({ id: shape.id, ms: Math.round(shape.ms) }),
        class: "wait",
        x: shape.x1,
        y: FULL_TOP,
        width: Math.max(1, shape.x2 - shape.x1),
        height: BASE - FULL_TOP,
      });
    case "marker":
      return svg("g", data({ id: shape.id, x: shape.x.toFixed(1) }), [
        svg("line", { class: "marker", x1: shape.x, x2: shape.x, y1: 0, y2: STRIP_HEIGHT }),
        svg("path", { class: "marker-head", d: `M${shape.x - 4} ${STRIP_HEIGHT}h8l-4 -6z` }),
      ]);
    case "request":
    case "send": {
      const children = shape.x2 - shape.x1 >= 1 ? [bar(shape.x1, shape.x2)] : [];
      if (shape.kind === "send") children.push(sentMark(shape.x2));
      else if (shape.answer !== "pending") {
        const ring =
          shape.answer === "304"
            ? [svg("circle", { class: "not-modified", cx: shape.x2, cy: EMPTY_TOP - 5, r: 3 })]
            : [];
        children.push(...tick(shape.x2, shape.answer === "full", ring));
      }
      return svg("g", data({ answer: shape.answer, ids: shape.ids.join(","), x: shape.x2.toFixed(1) }), children);
    }
    case "connection": {
      // Before it opened, a thin line (the handshake); once open, the bar, flagged with its status where it opened.
      const opened = shape.xOpen ?? (shape.open ? shape.x1 : shape.x2);
      const children = [svg("line", { class: "handshake", x1: shape.x1, x2: opened, y1: BASE + 2, y2: BASE + 2 })];
      if (shape.open) children.push(bar(opened, shape.x2));
      if (shape.xOpen !== undefined) {
        children.push(svg("line", { class: "flag", x1: shape.xOpen, x2: shape.xOpen, y1: FULL_TOP, y2: BASE + 4 }));
        children.push(label({ class: "flag-label", x: shape.xOpen + 3, y: FULL_TOP + 9 }, String(shape.status ?? "")));
      }
      return svg("g", data({ status: shape.status ?? "", x: (shape.xOpen ?? shape.x1).toFixed(1) }), children);
    }
    case "frame":
      return svg(
        "g",
        data({ answer: shape.answer, ids: shape.ids.join(","), x: shape.x.toFixed(1) }),
        tick(shape.x, shape.answer === "full"),
      );
    case "frame-sent":
      return svg("g", data({ x: shape.x.toFixed(1) }), [sentMark(shape.x)]);
  }
}

/** After this long the track's origin is moved up to now and the strip drawn afresh (its numbers and layer stay small). */
const REBASE_MS = 2 * 60_000;

/**
 * The strip for one pane, drawn from its meter every REDRAW_MS while the page is visible (requestAnimationFrame does
 * not run in a hidden tab). Drawn incrementally: each request, frame, wait and marker is drawn once on a track in its
 * own coordinates, and only the track moves, by a CSS transform on a layer of its own (the compositor moves it: no
 * layout, no repaint); a shape is drawn again only when what it shows changed (an answer came, a connection opened).
 * The grid stands still behind it. `role="img"`, with the window summed up in words as its name.
 */
export function createTimeline(meter: TrafficMeter, clockOffset: () => number): HTMLElement {
  const strip = document.createElement("div");
  strip.className = "timeline";
  strip.setAttribute("role", "img");
  const grid = svg("svg", { class: "grid-layer", "aria-hidden": "true" });
  // Layers, back to front, so that a shape drawn later still goes behind the ticks: waits, markers, the rest.
  const layers = { wait: svg("g", {}), marker: svg("g", {}), traffic: svg("g", {}) };
  const track = svg("svg", { class: "track", "aria-hidden": "true" }, Object.values(layers));
  strip.append(grid, track);
  let width = 0;
  // Read from a ResizeObserver, not measured on each redraw (that would force a layout).
  new ResizeObserver(([entry]) => (width = entry?.contentRect.width ?? 0)).observe(strip);
  /** What the track shows: each shape's drawing by its content (JSON), so a shape that is unchanged is kept. */
  let drawn = new Map<string, SVGElement>();
  let origin = 0;
  let drawnWidth = 0;
  let stale = true; // the grid's labels after a change of language
  onLanguageChange(() => (stale = true));
  let label = "";
  let attached = false;
  const redraw = () => {
    if (attached && !strip.isConnected) return; // the pane is gone: so is its loop
    attached ||= strip.isConnected;
    const now = Date.now();
    remember(meter.records, now + clockOffset());
    if (width > 0 && (stale || width !== drawnWidth || now - origin > REBASE_MS)) {
      // A new origin (or width): every shape moves, so all are drawn afresh, once.
      [origin, drawnWidth, stale] = [now, width, false];
      for (const layer of Object.values(layers)) layer.replaceChildren();
      drawn.clear();
      grid.replaceChildren(...gridShapes({ now, width }).map(draw));
    }
    const shapes =
      width > 0
        ? layout(meter.records, posted, { now, width, offset: clockOffset(), startedAt: meter.startedAt, origin })
        : [];
    const next = new Map<string, SVGElement>();
    for (const shape of shapes) {
      const content = JSON.stringify(shape);
      let key = content;
      for (let n = 1; next.has(key); n++) key = `${content}#${n}`; // two alike (two empty frames in one ms)
      let node = drawn.get(key);
      if (node) drawn.delete(key);
      else {
        node = draw(shape);
        (shape.kind === "wait" || shape.kind === "marker" ? layers[shape.kind] : layers.traffic).append(node);
      }
      next.set(key, node);
    }
    for (const node of drawn.values()) node.remove(); // out of the window, or drawn anew
    drawn = next;
    track.style.transform = `translateX(${(width - ((now - origin) / RECORD_WINDOW_MS) * width).toFixed(1)}px)`;
    const text = describe(shapes);
    if (text !== label) strip.setAttribute("aria-label", (label = text));
    setTimeout(() => requestAnimationFrame(redraw), REDRAW_MS);
  };
  requestAnimationFrame(redraw);
  return strip;
}
