import * as nodeFs from "node:fs";
import type { LogFs } from "../../server/chat/message-log.ts";

/**
 * A disk that fills up, for the message log's file-system seam (server/chat/message-log.ts: LogFs), without root or
 * a small partition. It behaves as ext4 does when space runs out: the write that crosses the limit stops short
 * (returns fewer bytes than asked), the next one throws ENOSPC. Everything else is the real node:fs.
 */
export class FullDisk {
  /** Bytes that still fit. */
  free = Infinity;

  readonly fs: LogFs = {
    ...nodeFs,
    writeSync: (fd, data, offset, length) => {
      if (this.free <= 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      const written = nodeFs.writeSync(fd, data, offset, Math.min(length, this.free));
      this.free -= written;
      return written;
    },
  };

  /** Only `bytes` more fit (0: full now). */
  fill(bytes = 0): void {
    this.free = bytes;
  }

  /** Space again (someone deleted a big file). */
  clear(): void {
    this.free = Infinity;
  }
}
