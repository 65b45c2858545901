import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { docs, exists, namedFunctions, namedPaths, root } from "../support/doc-paths.ts";

// The docs name real files and functions: this keeps them from drifting away from the code.

describe("paths in the docs", () => {
  it("finds the docs to check", () => {
    expect(docs).toContain("README.md");
    expect(docs).toContain("docs/walkthrough.md");
    expect(docs).toContain("docs/walkthrough.tr.md");
    expect(docs).toContain("docs/architecture.md");
    expect(docs).toContain("docs/benchmark.md");
    expect(docs).toContain("docs/scaling-out.md");
    expect(docs).toContain("docs/hardening.md");
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
    for (const [language, doc] of [
      ["en", "docs/walkthrough.md"],
      ["tr", "docs/walkthrough.tr.md"],
    ] as const) {
      const headings = [...readFileSync(`${root}${doc}`, "utf8").matchAll(/^## (\d+\. .*)$/gm)].map((m) =>
        plain(m[1]!),
      );
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
        expect(
          namedPaths(body).filter((path) => !exists(path)),
          slide.id,
        ).toEqual([]);
        const wrong = namedFunctions(body).filter(
          ([path, name]) => !readFileSync(`${root}${path}`, "utf8").includes(name),
        );
        expect(wrong, slide.id).toEqual([]);
      }
    }
  });
});

describe("the checkers themselves", () => {
  it("find paths and skip globs, placeholders and punctuation", () => {
    expect(
      namedPaths("See `server/app.ts`, and clients/page/pane/pane.ts. Also test/<area>/x and docs/*.md; package.json"),
    ).toEqual(["server/app.ts", "clients/page/pane/pane.ts", "package.json"]);
  });

  it("pair a file with the functions named right after it", () => {
    expect(
      namedFunctions(
        "`clients/transports/polling.ts`, `startNaivePolling()` beside `startPolling()`; then server/chat/chat.ts: Chat.post()",
      ),
    ).toEqual([
      ["clients/transports/polling.ts", "startNaivePolling"],
      ["clients/transports/polling.ts", "startPolling"],
      ["server/chat/chat.ts", "post"],
    ]);
    expect(namedFunctions("clients/transports/dead-link.ts tells a dead link; connect() reconnects")).toEqual([]);
  });
});
