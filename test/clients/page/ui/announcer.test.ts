import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ANNOUNCE_GAP_MS, Announcer } from "../../../../clients/page/ui/announcer.ts";

describe("Announcer", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const make = () => {
    const said: { at: number; text: string }[] = [];
    const announcer = new Announcer((text) => said.push({ at: Date.now(), text }));
    return { said, announcer };
  };

  it("speaks at most once per ANNOUNCE_GAP_MS, however often the counters change", () => {
    expect(ANNOUNCE_GAP_MS).toBeGreaterThanOrEqual(2000); // "every few seconds", not every tick
    const { said, announcer } = make();
    // Two panes, their counters changing every 100 ms for 30 s.
    for (let tick = 0; tick < 300; tick++) {
      announcer.update("0", `Polling: ${tick} requests.`);
      announcer.update("1", `WebSocket: ${Math.floor(tick / 50)} messages.`);
      vi.advanceTimersByTime(100);
    }
    expect(said.length).toBeGreaterThan(1);
    expect(said.length).toBeLessThanOrEqual(Math.ceil(30_000 / ANNOUNCE_GAP_MS) + 1);
    for (let i = 1; i < said.length; i++) expect(said[i]!.at - said[i - 1]!.at).toBeGreaterThanOrEqual(ANNOUNCE_GAP_MS);
  });

  it("says each pane's latest summary, together, and nothing when nothing changed", () => {
    const { said, announcer } = make();
    announcer.update("0", "Polling: 1 requests.");
    announcer.update("0", "Polling: 2 requests.");
    announcer.update("1", "WebSocket: 1 messages.");
    vi.advanceTimersByTime(0);
    expect(said.map((s) => s.text)).toEqual(["Polling: 2 requests. WebSocket: 1 messages."]);

    announcer.update("0", "Polling: 2 requests."); // what was already said
    vi.advanceTimersByTime(ANNOUNCE_GAP_MS * 3);
    expect(said).toHaveLength(1);

    announcer.update("1", "WebSocket: 2 messages."); // only what changed is said again
    vi.advanceTimersByTime(ANNOUNCE_GAP_MS);
    expect(said.map((s) => s.text)).toEqual(["Polling: 2 requests. WebSocket: 1 messages.", "WebSocket: 2 messages."]);

    announcer.update("1", "WebSocket: 3 messages."); // the right pane changed first: still said after the left one
    announcer.update("0", "Polling: 3 requests.");
    vi.advanceTimersByTime(ANNOUNCE_GAP_MS);
    expect(said.at(-1)!.text).toBe("Polling: 3 requests. WebSocket: 3 messages.");
  });
});
