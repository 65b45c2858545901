/**
 * `npm run rehearse`: the whole lesson played the evening before, on this machine (scripts/rehearsal/steps.ts, the
 * same steps as the test in test/e2e/rehearsal.test.ts): each step, what the class saw, where its screenshot is.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { rehearse } from "./rehearsal/steps.ts";

const outDir = resolve(process.env.REHEARSAL_DIR ?? "test-results/rehearsal");
const started = Date.now();
const reports = await rehearse({
  outDir,
  onStep(report) {
    const verdict = report.problems.length === 0 ? "ok" : `${report.problems.length} problem(s)`;
    console.log(`\n${report.title}: ${verdict}`);
    for (const line of report.saw) console.log(`  saw: ${line}`);
    for (const problem of report.problems) console.log(`  PROBLEM: ${problem}`);
    for (const note of new Set(report.notes)) console.log(`  note: ${note}`);
    for (const file of report.screenshots) console.log(`  screenshot: ${file}`);
  },
});
const problems = reports.flatMap((report) => report.problems);
console.log(
  `\n${reports.length} steps in ${((Date.now() - started) / 1000).toFixed(0)} s: ${problems.length === 0 ? "the lesson holds" : `${problems.length} problem(s)`}`,
);
// The walkthroughs' pictures come from here: copied only when asked, as the other screenshots are.
if (process.env.UPDATE_DOCS_IMAGES) {
  mkdirSync("docs/images/rehearsal", { recursive: true });
  for (const file of reports.flatMap((report) => report.screenshots))
    copyFileSync(file, join("docs/images/rehearsal", basename(file)));
}
process.exitCode = problems.length === 0 ? 0 : 1;
