import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT, startDenoArgs } from "../../../bench/servers/deno-binary.ts";

describe("startDenoArgs", () => {
  it("is npm run start:deno's command line after `deno`, with another file in place of the server's", () => {
    const script: string = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")).scripts["start:deno"];
    expect(["deno", ...startDenoArgs()].join(" ")).toBe(script);
    const args = startDenoArgs("bench/servers/deno-server-entry.ts");
    expect(args.at(-1)).toBe("bench/servers/deno-server-entry.ts");
    expect(args.slice(0, -1)).toEqual(startDenoArgs().slice(0, -1));
    expect(args).toContain("--allow-net");
  });
});
