import { copyFile, mkdir } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rehearse, type StepReport } from "../../scripts/rehearsal/steps.ts";

const OUT = fileURLToPath(new URL("../../test-results/rehearsal/", import.meta.url));
const DOCS = fileURLToPath(new URL("../../docs/images/rehearsal/", import.meta.url));

describe("the whole lesson, rehearsed (issue 20)", () => {
  it("ten steps in order, EN and TR, through a restart, a new chat and HTTPS: what the class sees stays true", async () => {
    const reports: StepReport[] = await rehearse({ outDir: OUT });
    expect(reports.map((report) => report.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const problems = reports.flatMap((report) => report.problems.map((problem) => `${report.title}: ${problem}`));
    expect(problems).toEqual([]);
    // Always taken (test-results/); copied over the walkthroughs' pictures only when asked.
    if (process.env.UPDATE_DOCS_IMAGES) {
      await mkdir(DOCS, { recursive: true });
      for (const file of reports.flatMap((report) => report.screenshots))
        await copyFile(file, `${DOCS}${basename(file)}`);
    }
  }, 240_000);
});
