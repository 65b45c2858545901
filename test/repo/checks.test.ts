import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The habits CI keeps: vitest strips types, so a type error, a format slip or an unused export would pass the other
// tests. Each check is the project's own npm script, run as a developer would run it.
const root = fileURLToPath(new URL("../../", import.meta.url));

function run(script: string): { status: number | null; output: string } {
  const result = spawnSync("npm", ["run", "--silent", script], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("repository checks", () => {
  it.each([
    ["typecheck", "tsc --noEmit: no type errors"],
    ["lint", "Biome: formatted, and no lint errors"],
    ["unused", "knip: no unused files, exports or dependencies"],
    ["deps", "dependency-cruiser: no import up a layer, no cycle (.dependency-cruiser.cjs)"],
  ])(
    "npm run %s (%s)",
    (script) => {
      const { status, output } = run(script);
      expect(status, `npm run ${script} failed:\n${output.slice(-4000)}`).toBe(0);
    },
    150_000,
  );
});
