import * as nodeFs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LogFs, MessageLog } from "../../server/chat/message-log.ts";

/**
 * What one short post may cost the disk, on average, after many noisy ones: its line and its share of the amortised
 * compactions (history-limits.ts: MESSAGE_LOG_REGROWTH), a few hundred bytes. Before compaction was amortised, the
 * kept messages stayed over the log's limit and every post rewrote the log: 424.8 MB for 150 short posts (2.8 MB each).
 */
export const SOAK_MAX_BYTES_PER_POST = 64 * 1024;

export interface CompactionCase {
  /** Posts of 500 control characters (~3 KB each as JSON: `\u0001` is six bytes). */
  noisyPosts: number;
  /** Then short ones ("hello"), whose cost is measured. */
  shortPosts: number;
  /** The log's options; the defaults are the server's. */
  maxBytes?: number;
  limit?: number;
}

export interface CompactionResult {
  noisyBytesPerPost: number;
  shortBytesPerPost: number;
  problems: string[];
}

/**
 * The compaction-amplification case of issue 23: a real MessageLog in a temporary directory, every byte it writes
 * counted at its file-system seam (compactions included), first for the noisy posts, then for the short ones.
 */
export async function compactionAmplification(options: CompactionCase): Promise<CompactionResult> {
  const dir = mkdtempSync(join(tmpdir(), "soak-compaction-"));
  let written = 0;
  const fs: LogFs = {
    ...nodeFs,
    writeSync: (fd, data, offset, length) => {
      const n = nodeFs.writeSync(fd, data, offset, length);
      written += n;
      return n;
    },
  };
  try {
    const log = MessageLog.open(dir, { fs, maxBytes: options.maxBytes, limit: options.limit, warn: () => {} });
    const noise = "\u0001".repeat(500);
    const before = written;
    for (let i = 0; i < options.noisyPosts; i++) await log.append({ user: "noise", text: noise });
    const afterNoise = written;
    for (let i = 0; i < options.shortPosts; i++) await log.append({ user: "student", text: `hello ${i}` });
    await log.close();
    const noisyBytesPerPost = (afterNoise - before) / Math.max(1, options.noisyPosts);
    const shortBytesPerPost = (written - afterNoise) / Math.max(1, options.shortPosts);
    const problems: string[] = [];
    for (const [what, perPost] of [
      ["noisy", noisyBytesPerPost],
      ["short", shortBytesPerPost],
    ] as const) {
      if (perPost > SOAK_MAX_BYTES_PER_POST) {
        problems.push(`${what} posts wrote ${Math.round(perPost)} bytes each: over ${SOAK_MAX_BYTES_PER_POST}`);
      }
    }
    return { noisyBytesPerPost, shortBytesPerPost, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
