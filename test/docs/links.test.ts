import { existsSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { docs, readDoc, root } from "../support/doc-paths.ts";

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown text; a repeated heading gets -1, -2, … as on GitHub. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of withoutCode(markdown).matchAll(/^#{1,6} +(.+)$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

const withoutCode = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, "");

/** Links to other files of the repo (not images, not the web), as written: `path`, `path#anchor` or `#anchor`. */
function localLinks(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe("links between the docs", () => {
  it.each(docs)("every link in %s reaches a file, and a heading where it names one", (doc) => {
    const dir = posix.dirname(doc);
    const broken = localLinks(readDoc(doc)).filter((link) => {
      const [file, anchor] = link.split("#") as [string, string | undefined];
      const target = file ? posix.normalize(posix.join(dir, file)) : doc;
      if (!existsSync(`${root}${target}`)) return true;
      return anchor !== undefined && target.endsWith(".md") && !anchors(readDoc(target)).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

describe("the link checker itself", () => {
  it("makes GitHub's anchors", () => {
    expect(slug("2. The naive loop, and the `since` fix")).toBe("2-the-naive-loop-and-the-since-fix");
    expect(slug("What it did not reach here, and why")).toBe("what-it-did-not-reach-here-and-why");
    expect(slug("Dersten önce")).toBe("dersten-önce");
    expect([...anchors("# A\n## B\n```\n## not a heading\n```\n## B\n")]).toEqual(["a", "b", "b-1"]);
  });

  it("finds links to files and anchors, not images or the web", () => {
    const text = "[a](docs/a.md#x) ![i](images/i.png) [w](https://x.org) [s](#here) <http://localhost:8000/>";
    expect(localLinks(text)).toEqual(["docs/a.md#x", "#here"]);
  });
});
