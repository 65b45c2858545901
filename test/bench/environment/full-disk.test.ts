import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FullDisk } from "../../../bench/environment/full-disk.ts";

describe("FullDisk", () => {
  it("like ext4 running out of space: the write that crosses the limit stops short, the next throws ENOSPC", () => {
    const dir = mkdtempSync(join(tmpdir(), "full-disk-"));
    const disk = new FullDisk();
    const fd = openSync(join(dir, "f"), "a");
    try {
      const data = Buffer.from("0123456789");
      expect(disk.fs.writeSync(fd, data, 0, 10)).toBe(10);
      disk.fill(4);
      expect(disk.fs.writeSync(fd, data, 0, 10)).toBe(4);
      expect(() => disk.fs.writeSync(fd, data, 0, 10)).toThrow(expect.objectContaining({ code: "ENOSPC" }));
      disk.clear();
      expect(disk.fs.writeSync(fd, data, 0, 2)).toBe(2);
      expect(readFileSync(join(dir, "f"), "utf8")).toBe("0123456789" + "0123" + "01");
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
