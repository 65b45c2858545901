import { describe, expect, it } from "vitest";
import { formatTop, topFrames } from "../../scripts/cpu-profile-top.ts";

/** A profile by hand: (root) → a → b, and (idle); samples 1 ms apart. */
const profile = {
  startTime: 0,
  endTime: 6000,
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
    { id: 2, callFrame: { functionName: "a", url: `file://${process.cwd()}/server/app.ts`, lineNumber: 9 } },
    { id: 3, callFrame: { functionName: "b", url: "file:///x/node_modules/hono/dist/hono.js", lineNumber: 0 } },
    { id: 4, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
  ],
  samples: [2, 3, 3, 4, 3, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe("cpu-profile-top", () => {
  it("sums self time per frame, most first, as a share of the busy time (idle apart)", () => {
    const top = topFrames(profile, 5);
    expect(top).toMatchObject({ busyMs: 5, idleMs: 1, gcMs: 0 });
    expect(top.frames).toEqual([
      { frame: "b", where: "hono/dist/hono.js:1", selfMs: 3, share: 0.6 },
      { frame: "a", where: "server/app.ts:10", selfMs: 2, share: 0.4 },
    ]);
    expect(formatTop("x", top)).toContain("| 60.0 | 3 | `b` | `hono/dist/hono.js:1` |");
  });

  it("--last keeps the end of the profile only", () => {
    // The last 2 ms: the samples at 5 and 6 ms (b, a).
    expect(topFrames(profile, 5, 2).frames.map((f) => [f.frame, f.selfMs])).toEqual([
      ["b", 1],
      ["a", 1],
    ]);
  });
});
