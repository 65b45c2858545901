import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SERVER = fileURLToPath(new URL("../../server/", import.meta.url));
const ts = (dir: string) =>
  readdirSync(SERVER + dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => dir + f);

/**
 * The app and everything it runs on a request: web-standard only, so the same createApp serves on Node and Deno.
 * The runtime lives at the edge (server/node/, server/deno/), which injects what only a runtime has.
 * server/chat/message-log.ts (a file store, node:fs) and chat-factory.ts (which opens it) are what the edge injects.
 */
const RUNTIME_FREE = [
  "app.ts",
  "delivery.ts",
  "counting/traffic-counts.ts",
  "counting/pane-traffic.ts",
  ...ts("routes/"),
  ...ts("limits/"),
  ...ts("lab/"),
  ...ts("transports/"),
  ...ts("guard/"),
  "chat/chat.ts",
  "chat/catch-up.ts",
  "chat/broker.ts",
  "chat/chat-bot.ts",
  "chat/emitter.ts",
  "chat/message-store.ts",
];

/** Every module specifier a file imports or re-exports, types included, static or dynamic. */
function imports(source: string): string[] {
  const found = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  found.push(...[...source.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)].map((m) => m[1]!));
  found.push(...[...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
  return found;
}

/** Node's built-ins under their bare names too (`fs`, `events`, …). */
const NODE_BUILTIN = /^(fs|path|http|https|net|stream|url|os|events|child_process|crypto|util|buffer|perf_hooks)(\/|$)/;
const forbidden = (specifier: string) =>
  specifier.startsWith("node:") ||
  specifier === "ws" ||
  specifier.startsWith("@hono/node-server") ||
  NODE_BUILTIN.test(specifier);

describe("runtime-free server code", () => {
  it("the import scanner sees every kind of import (so a pass means something)", () => {
    const source = [
      `import { a } from "node:fs";`,
      `import type { B } from "ws";`,
      `export { c } from "@hono/node-server";`,
      `import "events";`,
      `const d = await import("node:os");`,
      `import { e } from "hono";`,
    ].join("\n");
    expect(imports(source).filter(forbidden)).toEqual(["node:fs", "ws", "@hono/node-server", "events", "node:os"]);
  });

  it.each(RUNTIME_FREE)("server/%s imports nothing from node:*, ws or @hono/node-server", (file) => {
    const source = readFileSync(SERVER + file, "utf8");
    const local = imports(source).filter((s) => s.startsWith("."));
    // Nor does it reach into the runtime edges.
    expect(local.filter((s) => /\/(node|deno)\//.test(s))).toEqual([]);
    expect(imports(source).filter(forbidden)).toEqual([]);
  });
});
