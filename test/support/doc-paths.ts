import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * What the docs tests share: where the repo is, which docs there are, and how a doc names a repo path or a
 * function. test/docs/paths.test.ts checks those names exist; test/docs/architecture.test.ts checks the tree.
 */
export const root = fileURLToPath(new URL("../../", import.meta.url));
export const docs = [
  "README.md",
  ...readdirSync(`${root}docs`)
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
export const readDoc = (doc: string) => readFileSync(`${root}${doc}`, "utf8");

/**
 * Folders git ignores (`bench/results/`, …) hold what the tools write; the docs may name them although a fresh clone,
 * as CI has, does not have them yet.
 */
const IGNORED = readFileSync(`${root}.gitignore`, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line.endsWith("/") && !line.startsWith("#"));
export const exists = (path: string) =>
  IGNORED.some((dir) => `${path}/`.startsWith(dir)) || existsSync(`${root}${path}`);

/** Top-level folders and files of the repo; a path in the docs starts with one of them. */
const TOP = ["server", "clients", "shared", "bench", "scripts", "test", "docs", ".ci"];
const ROOT_FILES = ["package.json", "tsconfig.json", "vitest.config.ts"];
const escapeDot = (name: string) => name.replace(".", "\\.");
const PATH = new RegExp(
  `(?<![\\w./-])((?:${TOP.map(escapeDot).join("|")})/[\\w./-]*|${ROOT_FILES.map(escapeDot).join("|")})`,
  "g",
);

/** Repo paths named in a text, without trailing punctuation; globs and placeholders (`<mode>`) are not paths. */
export function namedPaths(text: string): string[] {
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
export function namedFunctions(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const match of text.matchAll(NAMED)) {
    const path = match[1]!.replace(/[.,:;)]+$/, "");
    for (const call of match[match.length - 1]!.matchAll(/(\w+)\(\)/g)) pairs.push([path, call[1]!]);
  }
  return pairs;
}
