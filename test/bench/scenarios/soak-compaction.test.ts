import { describe, expect, it } from "vitest";
import { compactionAmplification, SOAK_MAX_BYTES_PER_POST } from "../../../bench/scenarios/soak-compaction.ts";

// Issue 23 row 7 in the soak: kept messages over the log's limit must not make every later post rewrite the log.
describe("the soak's compaction-amplification case", () => {
  it("bytes written per post stay bounded after many posts of 500 control characters (scaled down)", async () => {
    // 100 kept messages of ~3 KB: 300 KB kept, over a 64 KiB limit (the server's: 2 MiB, HISTORY_LIMIT kept).
    const result = await compactionAmplification({ noisyPosts: 400, shortPosts: 150, maxBytes: 64 * 1024, limit: 100 });
    expect(result.problems).toEqual([]);
    expect(result.shortBytesPerPost).toBeLessThan(SOAK_MAX_BYTES_PER_POST);
    // Before: each short post rewrote the ~300 KB kept; now its line, and its share of rare compactions.
    expect(result.shortBytesPerPost).toBeLessThan(4096);
  });
});
