import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { entryFile } from "../../../bench/processes/entries.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const benchFiles = execFileSync("git", ["ls-files", "bench"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);

describe("entryFile(): every child process's entry, by one naming rule", () => {
  it("turns a name under bench/ into its <name>-entry.ts", () => {
    expect(entryFile("servers/server")).toBe(`${root}bench/servers/server-entry.ts`);
  });

  it("reaches every *-entry.ts the bench has", () => {
    const entries = benchFiles.filter((file) => file.endsWith("-entry.ts"));
    expect(entries.length).toBeGreaterThanOrEqual(7);
    for (const file of entries)
      expect(existsSync(entryFile(file.slice("bench/".length, -"-entry.ts".length)))).toBe(true);
  });

  it("is the only way a bench file names a file to start: no other file resolves a path of its own", () => {
    const resolving = benchFiles.filter(
      (file) =>
        file !== "bench/processes/entries.ts" &&
        /new URL\(\s*["'`]\.\.?\/[^"'`]*\.ts/.test(readFileSync(`${root}${file}`, "utf8")),
    );
    expect(resolving).toEqual([]);
  });
});
