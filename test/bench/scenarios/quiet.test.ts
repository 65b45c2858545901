import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const filesIn = (folder: string) =>
  execFileSync("git", ["ls-files", folder], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);

describe("scenarios and analysis are libraries: the command line is cli/'s, the printing cli/'s and output/'s", () => {
  it.each(["bench/scenarios", "bench/analysis"])("%s reads no argv and writes no console", (folder) => {
    const files = filesIn(folder);
    expect(files.length).toBeGreaterThan(4);
    const loud = files.filter((file) =>
      /\bconsole\.|process\.argv|process\.std(out|err)|process\.exit/.test(readFileSync(`${root}${file}`, "utf8")),
    );
    expect(loud).toEqual([]);
  });
});
