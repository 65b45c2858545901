import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SLIDES } from "../../clients/page/slides.ts";

// The docs name real files and functions: this keeps them from drifting away from the code.
const root = fileURLToPath(new URL("../../", import.meta.url));
const docs = ["README.md", ...readdirSync(`${root}docs`).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/**
 * Folders git ignores (`bench/results/`, …) hold what the tools write; the docs may name them although a fresh clone,
 * as CI has, does not have them yet.
 */
const IGNORED = readFileSync(`${root}.gitignore`, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line.endsWith("/") && !line.startsWith("#"));
const exists = (path: string) => IGNORED.some((dir) => `${path}/`.startsWith(dir)) || existsSync(`${root}${path}`);

/** Top-level folders and files of the repo; a path in the docs starts with one of them. */
const TOP = ["server", "clients", "shared", "bench", "scripts", "test", "docs", ".ci"];
const ROOT_FILES = ["package.json", "tsconfig.json", "vitest.config.ts"];
const PATH = new RegExp(`(?<![\\w./-])((?:${TOP.map((t) => t.replace(".", "\\.")).join("|")})/[\\w./-]*|${ROOT_FILES.map((f) => f.replace(".", "\\.")).join("|")})`, "g");

/** Repo paths named in a text, without trailing punctuation; globs and placeholders (`<mode>`) are not paths. */
function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const line of text.split("\n")) {
    if (/^\s*(curl|npm|https?:)/.test(line)) continue;
    for (const match of line.matchAll(PATH)) {
      const path = match[1]!.replace(/[.,:;)]+$/, "");
      const next = line[match.index! + match[1]!.length];
      if (next === "*" || next === "<" || next === "{") continue;
      found.add(path);
    }
  }
  return [...found];
}

/** A function as the docs write it: `name()` or `Class.name()`, with or without backticks. */
const CALL = "`?(?:[\\w]+\\.)?\\w+\\(\\)`?";
/** Words that chain several functions of one file: "`a()` and `b()`", "`a()` beside `b()`", "`a()` ile `b()`". */
const JOIN = "(?:, | and | or | beside | ve | ile )";
const NAMED = new RegExp(`(${PATH.source})\`?[,:] +(${CALL}(?:${JOIN}${CALL})*)`, "g");

/**
 * "`file`, `fn()`" and "file: fn() and fn2()": the functions named right after a file, which must be in it.
 * (A function elsewhere on the line is not paired: prose may name a file and then something else.)
 */
function namedFunctions(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const match of text.matchAll(NAMED)) {
    const path = match[1]!.replace(/[.,:;)]+$/, "");
    for (const call of match[match.length - 1]!.matchAll(/(\w+)\(\)/g)) pairs.push([path, call[1]!]);
  }
  return pairs;
}

describe("paths in the docs", () => {
  it("finds the docs to check", () => {
    expect(docs).toContain("README.md");
    expect(docs).toContain("docs/walkthrough.md");
    expect(docs).toContain("docs/walkthrough.tr.md");
    expect(docs).toContain("docs/architecture.md");
  });

  it.each(docs)("every repo path %s names exists", (doc) => {
    const missing = namedPaths(readFileSync(`${root}${doc}`, "utf8")).filter((path) => !exists(path));
    expect(missing).toEqual([]);
  });

  it.each(docs)("every function %s names after a file is in that file", (doc) => {
    const wrong = namedFunctions(readFileSync(`${root}${doc}`, "utf8")).filter(
      ([path, name]) => existsSync(`${root}${path}`) && !readFileSync(`${root}${path}`, "utf8").includes(name),
    );
    expect(wrong).toEqual([]);
  });

  it("the walkthroughs pair files with functions often enough for the check above to mean something", () => {
    for (const doc of ["docs/walkthrough.md", "docs/walkthrough.tr.md"]) {
      expect(namedFunctions(readFileSync(`${root}${doc}`, "utf8")).length, doc).toBeGreaterThan(15);
    }
  });

  it("the presenter's slides are the walkthrough's steps, in order, in both languages", () => {
    const plain = (title: string) => title.replace(/`/g, "").trim();
    for (const [language, doc] of [["en", "docs/walkthrough.md"], ["tr", "docs/walkthrough.tr.md"]] as const) {
      const headings = [...readFileSync(`${root}${doc}`, "utf8").matchAll(/^## (\d+\. .*)$/gm)].map((m) => plain(m[1]!));
      expect(headings, doc).toEqual(SLIDES.map((slide) => plain(slide.text[language].title)));
    }
  });

  it("every image a doc shows exists", () => {
    for (const doc of docs) {
      const dir = doc.includes("/") ? doc.slice(0, doc.lastIndexOf("/") + 1) : "";
      for (const [, target] of readFileSync(`${root}${doc}`, "utf8").matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        if (/^https?:/.test(target!)) continue;
        expect(existsSync(`${root}${dir}${target}`), `${doc} shows ${target}`).toBe(true);
      }
    }
  });

  it("the presenter's slides name real files and functions, in both languages", () => {
    for (const slide of SLIDES) {
      for (const text of Object.values(slide.text)) {
        const body = `${text.run}\n${text.show}`;
        expect(namedPaths(body).filter((path) => !exists(path)), slide.id).toEqual([]);
        const wrong = namedFunctions(body).filter(([path, name]) => !readFileSync(`${root}${path}`, "utf8").includes(name));
        expect(wrong, slide.id).toEqual([]);
      }
    }
  });
});

describe("the checkers themselves", () => {
  it("find paths and skip globs, placeholders and punctuation", () => {
    expect(namedPaths("See `server/app.ts`, and clients/page/pane.ts. Also test/<area>/x and docs/*.md; package.json")).toEqual([
      "server/app.ts",
      "clients/page/pane.ts",
      "package.json",
    ]);
  });

  it("pair a file with the functions named right after it", () => {
    expect(namedFunctions("`clients/transports/polling.ts`, `startNaivePolling()` beside `startPolling()`; then server/chat/chat.ts: Chat.post()")).toEqual([
      ["clients/transports/polling.ts", "startNaivePolling"],
      ["clients/transports/polling.ts", "startPolling"],
      ["server/chat/chat.ts", "post"],
    ]);
    expect(namedFunctions("clients/transports/dead-link.ts tells a dead link; connect() reconnects")).toEqual([]);
  });
});
