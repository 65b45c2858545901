import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

// The habits CI keeps: vitest strips types, so a type error, a format slip or an unused export would pass the other
// tests. Each check is the project's own npm script, run as a developer would run it. They run at once: each is
// mostly one core's work, so on two cores they take about as long as the slowest instead of the sum.
const root = fileURLToPath(new URL("../../", import.meta.url));

function run(script: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", script],
      { cwd: root, encoding: "utf8", timeout: 290_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ status, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe.concurrent("repository checks", () => {
  it.for([
    ["typecheck", "tsc --noEmit: no type errors"],
    ["lint", "Biome: formatted, and no lint errors"],
    ["unused", "knip: no unused files, exports or dependencies"],
    ["deps", "dependency-cruiser: no import up a layer, no cycle (.dependency-cruiser.cjs)"],
  ])("npm run %s (%s)", { timeout: 300_000 }, async ([script], { expect }) => {
    const { status, output } = await run(script);
    expect(status, `npm run ${script} failed:\n${output.slice(-4000)}`).toBe(0);
  });
});
