import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ClientAssets } from "../app.ts";

const clientsDir = fileURLToPath(new URL("../../clients/page/", import.meta.url));

/**
 * The browser clients are TypeScript; esbuild bundles them in memory when the server starts,
 * so there is no build step to forget and what runs is exactly what students read in `clients/`.
 */
export async function buildClientAssets(): Promise<ClientAssets> {
  const [html, css, bundle] = await Promise.all([
    readFile(clientsDir + "index.html", "utf8"),
    readFile(clientsDir + "style.css", "utf8"),
    build({
      entryPoints: [clientsDir + "page.ts"],
      bundle: true,
      write: false,
      format: "esm",
      target: "es2022",
      sourcemap: "inline",
      logLevel: "silent",
    }),
  ]);
  return { html, css, js: bundle.outputFiles[0]!.text };
}
