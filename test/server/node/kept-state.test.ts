import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KeptState } from "../../../server/node/kept-state.ts";

const dir = mkdtempSync(join(tmpdir(), "kept-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("KeptState: what survives a restart, in the data directory", () => {
  it("the teacher token is the same on every start, readable by its owner only", () => {
    const token = new KeptState(dir).teacherToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(new KeptState(dir).teacherToken()).toBe(token);
    expect(statSync(join(dir, "teacher-token")).mode & 0o077).toBe(0);
  });

  it("the bot's rate as last set; 0 when none was, or the file is damaged", () => {
    const other = mkdtempSync(join(dir, "bot-"));
    const state = new KeptState(other);
    expect(state.botRate()).toBe(0);
    state.saveBotRate(5);
    expect(new KeptState(other).botRate()).toBe(5);
    writeFileSync(join(other, "bot.json"), "{ not json");
    expect(new KeptState(other).botRate()).toBe(0);
  });

  it("the lab as the last stop left it, read once (a later crash brings back nothing stale); none if damaged", () => {
    const other = mkdtempSync(join(dir, "lab-"));
    const snapshot = { runs: [], students: [], anonymous: true };
    expect(new KeptState(other).takeLab()).toBeUndefined();
    new KeptState(other).saveLab(snapshot);
    expect(new KeptState(other).takeLab()).toEqual(snapshot);
    expect(new KeptState(other).takeLab()).toBeUndefined();
    writeFileSync(join(other, "lab.json"), "{ not json");
    expect(new KeptState(other).takeLab()).toBeUndefined();
  });
});
