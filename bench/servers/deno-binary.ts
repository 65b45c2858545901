/**
 * How the bench and the tests start Deno: `npm run start:deno`'s own command line, with the `deno` binary itself in
 * place of node_modules/.bin's Node wrapper. The wrapper runs the binary with spawnSync and does not pass on a
 * SIGTERM or its stdin (it dies, and Deno goes on as an orphan); a terminal's Ctrl+C reaches both, a kill does not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository's root: where Deno runs (it finds node_modules and package.json there). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `npm run start:deno` as words: `deno`, `run`, its permission flags, server/deno/deno-main.ts. */
const START_DENO: string[] = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")).scripts["start:deno"].split(" ");

/**
 * The arguments `npm run start:deno` gives Deno, with `file` in place of server/deno/deno-main.ts: the same permissions
 * for every Deno process the project starts.
 */
export const startDenoArgs = (file = START_DENO.at(-1)!) => [...START_DENO.slice(1, -1), file];

/** The `deno` binary. The npm wrapper copies it into place the first time it runs, so it runs once if it is missing. */
export function denoBinary(): string {
  const binary = `${ROOT}node_modules/deno/deno`;
  if (!existsSync(binary)) spawnSync(`${ROOT}node_modules/.bin/${START_DENO[0]}`, ["--version"], { stdio: "ignore" });
  return binary;
}
