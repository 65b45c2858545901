import { describe, expect, it } from "vitest";
import { buildClientAssets } from "../../../server/node/client-assets.ts";

describe("buildClientAssets", () => {
  it("bundles clients/page/page.ts with esbuild, in memory, next to the page and its style sheet", async () => {
    const assets = await buildClientAssets();
    expect(assets.html).toContain('src="/app.js"');
    expect(assets.html).toContain('href="/style.css"');
    expect(assets.css).toContain(".pane");
    // The bundle holds the clients themselves (not imports the browser could not resolve).
    expect(assets.js).not.toMatch(/^import /m);
    expect(assets.js).toContain("/messages");
    expect(assets.js).toContain("/ws");
  });
});
