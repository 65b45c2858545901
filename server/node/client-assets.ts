import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ClientAssets } from "../routes/page-routes.ts";
import type { PageAssets } from "../lab/lab-routes.ts";

const clientsDir = fileURLToPath(new URL("../../clients/page/", import.meta.url));
const classDir = fileURLToPath(new URL("../../clients/class/", import.meta.url));
const labDir = fileURLToPath(new URL("../../clients/lab/", import.meta.url));
/** uPlot's own style sheet (its legend and axes), served with the class view's. */
const uplotCss = createRequire(import.meta.url).resolve("uplot/dist/uPlot.min.css");

/** One browser entry point, bundled in memory: its imports (and npm packages, such as uPlot and qrcode) included. */
async function bundle(entry: string, { small = false } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    sourcemap: small ? false : "inline",
    minify: small,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/**
 * The browser clients are TypeScript; esbuild bundles them in memory when the server starts,
 * so there is no build step to forget and what runs is exactly what students read in `clients/`.
 */
export async function buildClientAssets(): Promise<ClientAssets> {
  const [html, css, js, classHtml, classCss, uplot, classJs] = await Promise.all([
    readFile(`${clientsDir}index.html`, "utf8"),
    readFile(`${clientsDir}style.css`, "utf8"),
    bundle(`${clientsDir}page.ts`),
    readFile(`${classDir}class.html`, "utf8"),
    readFile(`${classDir}class.css`, "utf8"),
    readFile(uplotCss, "utf8"),
    bundle(`${classDir}class-page.ts`),
  ]);
  return { html, css, js, classPage: { html: classHtml, css: `${uplot}\n${classCss}`, js: classJs } };
}

/**
 * The lab (/lab): apart, and only when first opened, because its editor (CodeMirror 6) is most of its weight; minified
 * and without the inline source map, each phone downloads 541 kB instead of 3.77 MB (measured).
 */
export async function buildLabAssets(): Promise<PageAssets> {
  const [html, css, js] = await Promise.all([
    readFile(`${labDir}index.html`, "utf8"),
    readFile(`${labDir}lab.css`, "utf8"),
    bundle(`${labDir}lab-page.ts`, { small: true }),
  ]);
  return { html, css, js };
}
