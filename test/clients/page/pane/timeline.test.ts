import { describe as group, expect, it } from "vitest";
import { RECORD_WINDOW_MS, type TrafficRecord } from "../../../../clients/page/pane/meter.ts";
import {
  describe,
  firstDeliveries,
  inWindow,
  layout,
  type Shape,
  xOf,
} from "../../../../clients/page/pane/timeline.ts";

// The strip's pure parts: which records are in the window, where each lands, and the words for them.
const NOW = 100_000;
const WIDTH = 300; // 10 px a second over the 30 s window
const scene = { now: NOW, width: WIDTH, offset: 0, startedAt: 0 };
const poll = (start: number, end?: number, status = 200, ids: number[] = [], sentAt = start): TrafficRecord => ({
  kind: "request",
  start,
  end,
  status: end === undefined ? undefined : status,
  messages: ids.map((id) => ({ id, sentAt })),
});
const kinds = (shapes: Shape[], kind: Shape["kind"]) => shapes.filter((shape) => shape.kind === kind);

group("xOf", () => {
  it("puts now at the right edge and RECORD_WINDOW_MS ago at the left", () => {
    expect(xOf(NOW, scene)).toBe(WIDTH);
    expect(xOf(NOW - RECORD_WINDOW_MS, scene)).toBe(0);
    expect(xOf(NOW - 1_000, scene)).toBe(WIDTH - 10);
  });
});

group("inWindow", () => {
  it("keeps what ended within the window and what is still open, however long ago it started", () => {
    const old = poll(NOW - RECORD_WINDOW_MS - 2_000, NOW - RECORD_WINDOW_MS - 1_000);
    const recent = poll(NOW - 2_000, NOW - 1_990);
    const held = poll(NOW - RECORD_WINDOW_MS - 5_000);
    expect(inWindow([old, recent, held], NOW)).toEqual([recent, held]);
  });
});

group("firstDeliveries", () => {
  it("counts a message the naive loop fetches again and again once, at its first answer", () => {
    const answers = [
      poll(1_000, 1_010, 200, [1], 500),
      poll(2_000, 2_010, 200, [1, 2], 500),
      poll(3_000, 3_010, 200, [1, 2], 500),
    ];
    expect(firstDeliveries(answers)).toEqual(
      new Map([
        [1, { delivered: 1_010, sentAt: 500 }],
        [2, { delivered: 2_010, sentAt: 500 }],
      ]),
    );
  });
});

group("layout", () => {
  it("one shape per request in the window, its tick where its answer came, sorted by answer", () => {
    const records = [
      poll(NOW - RECORD_WINDOW_MS - 500, NOW - RECORD_WINDOW_MS - 490), // out of the window
      poll(NOW - 3_000, NOW - 2_990),
      poll(NOW - 2_000, NOW - 1_990, 200, [5], NOW - 2_500),
      poll(NOW - 1_000, NOW - 990, 304),
      poll(NOW - 10), // in flight
      { kind: "send", start: NOW - 500, end: NOW - 495, status: 201, messages: [] } as TrafficRecord,
    ];
    const shapes = layout(records, new Map(), scene);
    expect(kinds(shapes, "request").map((shape) => shape.kind === "request" && [shape.answer, shape.x2])).toEqual([
      ["empty", xOf(NOW - 2_990, scene)],
      ["full", xOf(NOW - 1_990, scene)],
      ["304", xOf(NOW - 990, scene)],
      ["pending", WIDTH],
    ]);
    expect(kinds(shapes, "send")).toHaveLength(1);
  });

  it("a held request is a bar from request to answer", () => {
    const [shape] = kinds(
      layout([poll(NOW - 20_000, NOW - 5_000, 200, [1], NOW - 5_010)], new Map(), scene),
      "request",
    );
    expect(shape).toMatchObject({ x1: 100, x2: 250, answer: "full" });
  });

  it("shades the wait from a message's sentAt (on our clock) to its first delivery, not for the history", () => {
    const offset = 250; // the server's clock is 250 ms ahead of ours
    const records = [
      poll(NOW - 3_000, NOW - 2_990, 200, [1, 2], NOW - 30_500), // history: sent before the pane started
      poll(NOW - 1_000, NOW - 1_000, 200, [3], NOW - 1_800 + offset),
    ];
    const waits = kinds(layout(records, new Map(), { ...scene, offset, startedAt: NOW - 29_000 }), "wait");
    expect(waits).toEqual([{ kind: "wait", id: 3, x1: xOf(NOW - 1_800, scene), x2: xOf(NOW - 1_000, scene), ms: 800 }]);
  });

  it("draws every posted message in the window as a marker at its sentAt on our clock, past messages excluded", () => {
    const posted = new Map([
      [1, NOW - 40_000],
      [2, NOW - 5_000 + 100],
      [3, NOW + 100 + 20], // 20 ms in our future: a clock corrected to within a few ms; held at the right edge
    ]);
    const markers = kinds(layout([], posted, { ...scene, offset: 100 }), "marker");
    expect(markers).toEqual([
      { kind: "marker", id: 2, x: xOf(NOW - 5_000, scene) },
      { kind: "marker", id: 3, x: WIDTH },
    ]);
  });

  it("a socket: one bar from its 101 on, flagged where it opened while that is in the window, a tick per frame", () => {
    const connection: TrafficRecord = {
      kind: "connection",
      start: NOW - 10_010,
      opened: NOW - 10_000,
      status: 101,
      messages: [],
    };
    const frames: TrafficRecord[] = [
      { kind: "frame", start: NOW - 9_000, end: NOW - 9_000, messages: [{ id: 1, sentAt: NOW - 9_002 }] },
      { kind: "frame", start: NOW - 4_000, end: NOW - 4_000, messages: [] }, // a heartbeat
      { kind: "frame-sent", start: NOW - 3_000, end: NOW - 3_000, messages: [] },
    ];
    const shapes = layout([connection, ...frames], new Map(), scene);
    expect(kinds(shapes, "connection")).toEqual([
      { kind: "connection", x1: expect.closeTo(199.9), xOpen: 200, x2: WIDTH, open: true, status: 101 },
    ]);
    expect(kinds(shapes, "frame").map((shape) => shape.kind === "frame" && [shape.x, shape.answer, shape.ids])).toEqual(
      [
        [210, "full", [1]],
        [260, "empty", []],
      ],
    );
    expect(kinds(shapes, "frame-sent")).toHaveLength(1);

    const later = layout([connection], new Map(), { ...scene, now: NOW + 25_000 });
    expect(kinds(later, "connection")).toEqual([
      { kind: "connection", x1: 0, xOpen: undefined, x2: WIDTH, open: true, status: 101 },
    ]);
  });

  it("grid lines stand still every 5 s back from now", () => {
    expect(kinds(layout([], new Map(), scene), "grid").map((shape) => shape.kind === "grid" && shape.x)).toEqual([
      250, 200, 150, 100, 50,
    ]);
  });

  it("on a moving track: x from the origin, the same shape at every later redraw, open bars past the right edge", () => {
    const origin = NOW - 60_000; // the track started a minute ago: x is counted from there, unclamped
    const socket: TrafficRecord = {
      kind: "connection",
      start: NOW - 40_000,
      opened: NOW - 39_990,
      status: 101,
      messages: [],
    };
    const records = [socket, poll(NOW - 2_000, NOW - 1_990, 200, [5], NOW - 2_500)];
    const at = (now: number) => layout(records, new Map(), { ...scene, now, origin });
    const shapes = at(NOW);
    expect(kinds(shapes, "grid")).toEqual([]); // the grid stands still outside the track
    expect(kinds(shapes, "request").map((shape) => shape.kind === "request" && shape.x2)).toEqual([580.1]);
    const [bar] = kinds(shapes, "connection");
    expect(bar).toMatchObject({ x1: 200, xOpen: expect.closeTo(200.1), open: true });
    // Still open: it runs to the next-but-one window boundary, beyond now's x (600), so it need not be redrawn.
    expect(bar!.kind === "connection" && bar!.x2).toBeGreaterThan(600 + WIDTH);
    expect(JSON.stringify(at(NOW + 250))).toBe(JSON.stringify(shapes));
  });
});

group("describe", () => {
  it("says what the window holds in words", () => {
    const records = [
      poll(NOW - 3_000, NOW - 2_990),
      poll(NOW - 2_000, NOW - 1_990, 200, [5], NOW - 2_500),
      poll(NOW - 1_000, NOW - 990, 304),
    ];
    expect(describe(layout(records, new Map(), scene))).toBe(
      "Last 30 s: requests: 3, empty: 2; 304 Not Modified: 1; messages: 1, longest wait: 510 ms.",
    );
    expect(describe(layout([], new Map(), scene))).toBe("Last 30 s: nothing yet.");
  });
});
