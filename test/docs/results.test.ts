import { describe, expect, it } from "vitest";
import type { Results } from "../../bench/output/results-file.ts";
import { docs, readDoc } from "../support/doc-paths.ts";

// Figures that cannot go stale: every measured figure a document quotes stands in a region that names its run,
//   <!-- results: class-30 --> … <!-- /results -->
// and every number in the region is one that run's record in docs/results.json holds (its command, time, load,
// named figures or table). A decimal figure with a unit outside every region fails too, and the English and Turkish
// walkthroughs must quote the same figures of the same runs. How to add one: docs/benchmark.md, "Recorded results".

const RESULTS = JSON.parse(readDoc("docs/results.json")) as Results;

/**
 * Documents not migrated to regions yet: their figures are checked inside the regions they have, but the sweep for
 * unmarked figures skips them (each says why). Shrink this list, never grow it.
 */
const NOT_SWEPT: Record<string, string> = {
  "docs/glossary.md": "its numbers show how Turkish writes a decimal (23,4 kB), they are no measurement",
  "docs/architecture.md": "its numbers show how the page formats a figure (23.4 kB, 23,4 kB)",
  "docs/bench-rivals.md": "not migrated yet",
};

/** `<!-- results: <run> -->`, or `<!-- results: <run>, tr -->` for a Turkish region in an English document. */
const REGION = /<!-- results: ([\w-]+)(, tr)? -->([\s\S]*?)<!-- \/results -->/g;
const turkish = (doc: string) => doc.endsWith(".tr.md");

/** The doc as figures read: Turkish decimal commas as points, clock times as 17:11. */
function normalised(text: string, tr: boolean): string {
  const times = text.replace(/\b(\d{1,2})[.:](\d{2}) UTC/g, "$1:$2 UTC");
  return tr ? times.replace(/(\d),(\d)/g, "$1.$2") : times;
}

/** The numbers a text quotes: not those inside names (p50, h2, HTTP/1.1, T/2, SHA-1, #17). */
const quotedNumbers = (text: string): string[] =>
  [...text.matchAll(/(?<![\p{L}\p{N}_/.:#-])\d+(?:\.\d+)?(?![\p{L}\p{N}_/]|\.\d)/gu)].map((m) => m[0]);

/** Every number a run's record holds, anywhere in it. */
const held = (run: string) => new Set(JSON.stringify(RESULTS.runs[run] ?? {}).match(/\d+(?:\.\d+)?/g) ?? []);

/** Decimal figures with a unit: what only a measurement writes. */
const MEASURED = /(?<![\p{L}\p{N}_/.:#-])\d+\.\d+ ?(?:ms|kB|MB|B|µs|s|%|×)(?![\p{L}])/gu;

const regions = (doc: string) =>
  [...readDoc(doc).matchAll(REGION)].map((m) => ({
    run: m[1]!,
    text: normalised(m[3]!, turkish(doc) || m[2] !== undefined),
  }));

describe("docs/results.json", () => {
  it("records each run with its command, time and load", () => {
    expect(Object.keys(RESULTS.runs).length).toBeGreaterThan(3);
    for (const [id, run] of Object.entries(RESULTS.runs)) {
      expect(run.command, id).toMatch(/^(npm run (bench|load|soak)|tsx bench\/cli\/)/);
      expect(run.time, id).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(run.load, id).toBeTruthy();
    }
  });

  it.each(docs)("%s quotes, in each region, only figures its run holds", (doc) => {
    for (const { run, text } of regions(doc)) {
      expect(Object.keys(RESULTS.runs), `${doc}: region "${run}"`).toContain(run);
      const missing = quotedNumbers(text).filter((number) => !held(run).has(number));
      expect(missing, `${doc}, region "${run}": numbers its record lacks`).toEqual([]);
    }
  });

  it.each(docs.filter((doc) => !(doc in NOT_SWEPT)))("%s quotes no measured figure outside a region", (doc) => {
    const outside = normalised(readDoc(doc), turkish(doc)).replace(REGION, " ");
    expect(outside.match(MEASURED) ?? []).toEqual([]);
  });

  it("the English and Turkish walkthroughs quote the same figures of the same runs", () => {
    const figures = (doc: string) =>
      regions(doc).map(({ run, text }) => `${run}: ${quotedNumbers(text).sort().join(" ")}`);
    expect(figures("docs/walkthrough.tr.md")).toEqual(figures("docs/walkthrough.md"));
    expect(figures("docs/walkthrough.md").length).toBeGreaterThan(3);
  });

  it("the README's Turkish box quotes the English one's figures", () => {
    const readme = readDoc("README.md");
    const box = readme.slice(readme.indexOf("**Dersi çalıştırmak**"), readme.indexOf("## Transports"));
    const english = readme.slice(readme.indexOf("## Transports"));
    const quoted = (text: string, tr: boolean) =>
      [...text.matchAll(REGION)].flatMap((m) => quotedNumbers(normalised(m[3]!, tr)));
    expect(quoted(box, true).length).toBeGreaterThan(0);
    for (const number of quoted(box, true)) expect(quoted(english, false)).toContain(number);
  });

  it("the check itself: a stale figure, a Turkish comma, a figure outside a region", () => {
    expect(quotedNumbers(normalised("26,3 kB'a karşı 28,4 kB; HTTP/1.1, p50, T/2, 17.11 UTC", true))).toEqual([
      "26.3",
      "28.4",
      "17",
    ]);
    expect(held("class-30").has("26.3")).toBe(true);
    expect(held("class-30").has("23.4")).toBe(false); // step 8's old figure, from a replaced run
    expect("idle 25.3 kB against 23.4 kB".match(MEASURED)).toEqual(["25.3 kB", "23.4 kB"]);
  });
});
