import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { exists, namedPaths, readDoc, root } from "../support/doc-paths.ts";

/** The folders whose every file docs/architecture.md must name: the code a student reads, and the bench. */
const DRAWN = ["server", "clients", "shared", "bench"];

/**
 * The paths drawn in the tree under "## The tree": one entry a line, two spaces of indent a level, folders end in
 * "/", and the rest of the line says what the entry is for.
 */
function treePaths(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith("The tree\n"));
  const block = section?.match(/```text\n([\s\S]*?)```/)?.[1];
  if (block === undefined) throw new Error('no ```text block under "## The tree"');
  const folders: string[] = [];
  const paths: string[] = [];
  for (const line of block.split("\n")) {
    const entry = /^( *)(\S+)/.exec(line);
    if (!entry) continue;
    const depth = entry[1]!.length / 2;
    if (!Number.isInteger(depth) || depth > folders.length) throw new Error(`bad indent in the tree: "${line}"`);
    folders.length = depth;
    const name = entry[2]!;
    paths.push(`${folders.join("")}${name}`.replace(/\/$/, ""));
    if (name.endsWith("/")) folders.push(name);
  }
  return paths;
}

const doc = readDoc("docs/architecture.md");

describe("docs/architecture.md matches the tree", () => {
  it("draws every file git tracks under server/, clients/, shared/ and bench/ in its tree", () => {
    const tracked = execFileSync("git", ["ls-files", "--", ...DRAWN], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(tracked.length).toBeGreaterThan(50);
    const drawn = new Set(treePaths(doc));
    expect(tracked.filter((path) => !drawn.has(path))).toEqual([]);
  });

  it("draws and names nothing that does not exist", () => {
    expect(treePaths(doc).filter((path) => !exists(path))).toEqual([]);
    expect(namedPaths(doc).filter((path) => !exists(path))).toEqual([]);
  });

  it("says what each file in the tree is for, in one line that fits", () => {
    const block = doc.split("## The tree\n")[1]!.split("```text\n")[1]!.split("```")[0]!;
    const bare = block.split("\n").filter((line) => line.trim() && !/^ *\S+ {2,}\S/.test(line));
    expect(bare).toEqual([]);
    expect(block.split("\n").filter((line) => line.length > 120)).toEqual([]);
  });
});

describe("docs/architecture.md draws bench/ as .dependency-cruiser.cjs rules it", () => {
  it("draws bench/'s folders in the layer order the import rules hold (a folder imports only those below it)", () => {
    const { forbidden } = createRequire(import.meta.url)("../../.dependency-cruiser.cjs") as {
      forbidden: { name: string }[];
    };
    // One "bench-<layer>-not-up" rule for every layer under the first, in order.
    const below = forbidden.flatMap((rule) => /^bench-(.+)-not-up$/.exec(rule.name)?.[1] ?? []);
    const drawn = treePaths(doc).flatMap((path) => /^bench\/([^/.]+)$/.exec(path)?.[1] ?? []);
    expect(below.length).toBeGreaterThan(5);
    expect(drawn.slice(1)).toEqual(below);
  });
});

/** The files of "## The path of one message": the first path named on each numbered line. */
function messagePath(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith("The path of one message\n"));
  if (section === undefined) throw new Error('no "## The path of one message"');
  return [...section.matchAll(/^\d+\. `([^`]+)`/gm)].map((match) => match[1]!);
}

describe("docs/architecture.md: the path of one message", () => {
  it("follows a POSTed message to a socket client and a polling client in at most 10 files, all drawn", () => {
    const path = messagePath(doc);
    expect(path[0]).toBe("server/app.ts");
    expect(path).toContain("server/transports/messages.ts");
    expect(path).toContain("clients/transports/socket.ts");
    expect(path).toContain("clients/transports/polling.ts");
    expect(new Set(path).size).toBe(path.length);
    expect(path.length).toBeLessThanOrEqual(10);
    const drawn = new Set(treePaths(doc));
    expect(path.filter((file) => !drawn.has(file))).toEqual([]);
  });
});

describe("the tree reader", () => {
  it("builds paths from indentation", () => {
    const text = [
      "## The tree",
      "",
      "```text",
      "a/      the a folder",
      "  b.ts  b",
      "  c/    c",
      "    d.ts  d",
      "e.ts    e",
      "```",
    ];
    expect(treePaths(text.join("\n"))).toEqual(["a", "a/b.ts", "a/c", "a/c/d.ts", "e.ts"]);
  });

  it("refuses an indent that skips a level", () => {
    expect(() => treePaths(["## The tree", "```text", "a/  x", "    b.ts  y", "```"].join("\n"))).toThrow(/bad indent/);
  });
});
