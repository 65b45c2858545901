import AxeBuilder from "@axe-core/playwright";
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

export async function axeScan(page: Page, rules?: readonly string[]): Promise<Scan> {
  const builder = new AxeBuilder({ page });
  if (rules) builder.withRules([...rules]);
  const results = await builder.analyze();
  const ran = new Set(
    [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id),
  );
  const violations = results.violations.flatMap((v) =>
    v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")}`),
  );
  return { violations, ran };
}
