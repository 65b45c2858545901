import { afterEach, describe, expect, it, vi } from "vitest";
import {
  carriedMessages,
  meteredEventSource,
  meteredFetch,
  meteredWebSocket,
  RECORD_WINDOW_MS,
  TrafficMeter,
} from "../../../../clients/page/pane/meter.ts";

// The records the timeline strip draws (clients/page/pane/timeline.ts): one for each thing the meter counts.
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("carriedMessages", () => {
  const message = { id: 7, user: "a", text: "b", sentAt: 1000 };
  it.each([
    ["a poll's answer", JSON.stringify([message, { ...message, id: 8 }]), [7, 8]],
    ["an empty answer", "[]", []],
    ["a socket's frame (the frame is the message)", JSON.stringify(message), [7]],
    ["a socket's epoch frame", JSON.stringify({ epoch: "e1" }), []],
    ["a heartbeat", JSON.stringify({ heartbeat: true }), []],
    ["an SSE event", JSON.stringify(message), [7]],
    ["an error body", '{"error":"too many"}', []],
    ["not JSON", "<html>", []],
    ["a 304's empty body", "", []],
  ])("%s", (_, data, ids) => {
    expect(carriedMessages(data).map((carried) => carried.id)).toEqual(ids);
  });

  it("keeps only the id and sentAt", () => {
    expect(carriedMessages(JSON.stringify([message]))).toEqual([{ id: 7, sentAt: 1000 }]);
  });
});

describe("TrafficMeter records", () => {
  it("drops what ended over RECORD_WINDOW_MS ago, keeps what is still open, and forgets all on reset", () => {
    const meter = new TrafficMeter();
    const open = meter.record({ kind: "connection", start: 0, opened: 5, messages: [] });
    meter.record({ kind: "frame", start: 10, end: 10, messages: [] });
    meter.record({ kind: "frame", start: 20, end: 20, messages: [] });
    meter.record({ kind: "frame", start: RECORD_WINDOW_MS + 15, end: RECORD_WINDOW_MS + 15, messages: [] });
    expect(meter.records.map((record) => record.start)).toEqual([0, 20, RECORD_WINDOW_MS + 15]);
    expect(meter.records[0]).toBe(open);
    meter.reset();
    expect(meter.records).toEqual([]);
  });

  it("stays bounded however long it runs", () => {
    const meter = new TrafficMeter();
    for (let at = 0; at < 10 * RECORD_WINDOW_MS; at += 100)
      meter.record({ kind: "frame", start: at, end: at, messages: [] });
    expect(meter.records.length).toBe(RECORD_WINDOW_MS / 100 + 1);
  });
});

describe("meteredFetch records", () => {
  it("records each request when it starts, and its answer's time, status and messages when it is read", async () => {
    vi.stubGlobal("location", new URL("http://chat.test/"));
    vi.useFakeTimers({ now: 1_000, toFake: ["Date"] });
    let answer!: (response: Response) => void;
    const inner = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    const meter = new TrafficMeter();
    const fetch = meteredFetch(meter, inner as unknown as typeof globalThis.fetch);

    const poll = fetch("/messages?since=0");
    expect(meter.records).toEqual([{ kind: "request", start: 1_000, messages: [] }]); // in flight: no end yet
    vi.setSystemTime(1_400);
    answer(new Response('[{"id":3,"user":"a","text":"b","sentAt":900}]'));
    await poll;
    expect(meter.records[0]).toEqual({
      kind: "request",
      start: 1_000,
      end: 1_400,
      status: 200,
      messages: [{ id: 3, sentAt: 900 }],
    });

    const notModified = fetch("/messages?since=3");
    answer(new Response(null, { status: 304 }));
    await notModified;
    const post = fetch("/messages", { method: "POST", body: "{}" });
    answer(new Response('{"id":4,"user":"a","text":"b","sentAt":1400}', { status: 201 }));
    await post;
    expect(meter.records.map(({ kind, status, messages }) => [kind, status, messages.length])).toEqual([
      ["request", 200, 1],
      ["request", 304, 0],
      ["send", 201, 0], // the echo of what was sent is not a delivery
    ]);
    expect(meter.records).toHaveLength(meter.requestsMade);
  });

  it("ends the record of a request that failed", async () => {
    const meter = new TrafficMeter();
    const fetch = meteredFetch(meter, (async () => {
      throw new TypeError("network down");
    }) as typeof globalThis.fetch);
    await expect(fetch("/messages")).rejects.toThrow("network down");
    expect(meter.records[0]?.end).toBeTypeOf("number");
    expect(meter.records[0]?.status).toBeUndefined();
  });
});

describe("meteredWebSocket and meteredEventSource records", () => {
  class Fake extends EventTarget {
    constructor(readonly url: string | URL) {
      super();
    }
    send() {}
  }

  it("a socket: its connection from the upgrade to the close, opened on 101, and a record per frame each way", () => {
    vi.useFakeTimers({ now: 5_000, toFake: ["Date"] });
    const meter = new TrafficMeter();
    const socket = new (meteredWebSocket(meter, Fake as unknown as typeof WebSocket))("ws://chat.test/ws");
    vi.setSystemTime(5_003);
    socket.dispatchEvent(new Event("open"));
    socket.dispatchEvent(new MessageEvent("message", { data: '{"epoch":"e1"}' }));
    socket.dispatchEvent(new MessageEvent("message", { data: '{"id":1,"sentAt":4990}' }));
    socket.send("{}");
    vi.setSystemTime(6_000);
    socket.dispatchEvent(new Event("close"));
    expect(meter.records).toEqual([
      { kind: "connection", start: 5_000, opened: 5_003, status: 101, end: 6_000, messages: [] },
      { kind: "frame", start: 5_003, end: 5_003, messages: [] },
      { kind: "frame", start: 5_003, end: 5_003, messages: [{ id: 1, sentAt: 4990 }] },
      { kind: "frame-sent", start: 5_003, end: 5_003, messages: [] },
    ]);
  });

  it("a stream: a connection per open (as counted), ended by the error that breaks it, and a record per event", () => {
    const meter = new TrafficMeter();
    const source = new (meteredEventSource(meter, Fake as unknown as typeof EventSource))("/events");
    source.dispatchEvent(new Event("open"));
    source.dispatchEvent(new MessageEvent("message", { data: '{"id":1,"sentAt":10}' }));
    source.dispatchEvent(new Event("error"));
    source.dispatchEvent(new Event("open"));
    expect(meter.records.map(({ kind, status, end }) => [kind, status, end !== undefined])).toEqual([
      ["connection", 200, true],
      ["frame", undefined, true],
      ["connection", 200, false],
    ]);
    expect(meter.records.filter((record) => record.kind === "connection")).toHaveLength(meter.requestsMade);
  });
});
