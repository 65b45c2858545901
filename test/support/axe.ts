import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import type { Page } from "playwright";

/**
 * The axe rules whose outcome depends on the layout, and so on the screen size: colours of what overlaps what,
 * the size and spacing of targets, what scrolls, what lies outside a landmark as laid out, links told apart from
 * their text block. Every other rule reads the DOM and its attributes, which a screen size does not change (the
 * page's only media queries move, fold or resize things; what they hide is scanned where it shows).
 */
export const LAYOUT_RULES = [
  "color-contrast",
  "target-size",
  "scrollable-region-focusable",
  "region",
  "link-in-text-block",
] as const;

/** One axe scan: every rule axe runs by default, or only `rules` (of those). */
export interface Scan {
  /** Short lines, one per node that fails a rule: rule, impact, where. */
  violations: string[];
  /** The rules that ran, whatever their outcome. */
  ran: Set<string>;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core run in the page itself, injected once per page. @axe-core/playwright's `analyze()` injects it again for
 * every scan and finishes each in a new blank page: 3–4 s a scan, against 0.1–0.4 s here (measured on the pages of
 * accessibility.test.ts), the same rules and results. Our pages have no frames to scan into.
 */
export async function axeScan(page: Page, rules?: readonly string[]): Promise<Scan> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const options: RunOptions = rules ? { runOnly: { type: "rule", values: [...rules] } } : {};
  const results = await page.evaluate(
    (options) =>
      (window as unknown as { axe: { run(c: Document, o: RunOptions): Promise<AxeResults> } }).axe.run(
        document,
        options,
      ),
    { ...options, resultTypes: ["violations"] } satisfies RunOptions,
  );
  const ran = new Set(
    [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id),
  );
  const violations = results.violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")}`),
  );
  return { violations, ran };
}
