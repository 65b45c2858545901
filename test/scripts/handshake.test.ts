import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useServer } from "../support/server.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const server = useServer();

describe("npm run handshake", () => {
  it("prints the 101, a matching accept and the decoded history frame of a real server", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/handshake.ts", `${server().url}/ws`], {
      cwd: root,
      timeout: 60_000,
    });
    expect(stdout).toContain("HTTP/1.1 101 Switching Protocols\\r\\n");
    expect(stdout).toMatch(/Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==\\r\\n/);
    expect(stdout).toContain("✓ matches");
    expect(stdout).toMatch(/server → client: text frame[\s\S]*MASK\s+0[\s\S]*"epoch":/);
    expect(stdout).toMatch(/client → server: text frame[\s\S]*MASK\s+1\s+masked/);
    expect(stdout).toContain("close code 1000");
  });

  it("exits 1 with the head printed when the server answers something other than 101", async () => {
    const failed = await run(process.execPath, ["--import", "tsx", "scripts/handshake.ts", `${server().url}/nowhere`], {
      cwd: root,
      timeout: 60_000,
    }).catch((error: { code: number; stdout: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    expect(failed.stdout).toMatch(/status 404/);
  });
});
