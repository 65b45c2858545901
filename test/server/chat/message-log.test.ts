import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HISTORY_LIMIT, MESSAGE_LOG_MAX_BYTES } from "../../../server/guard/limits.ts";
import { LOG_FILE, MessageLog, MessageLogError } from "../../../server/chat/message-log.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "message-log-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const open = (dir: string, options: Parameters<typeof MessageLog.open>[1] = {}) => {
  const warnings: string[] = [];
  const log = MessageLog.open(dir, { warn: (text) => warnings.push(text), ...options });
  return { log, warnings };
};

describe("MessageLog", () => {
  it("appends one JSON line per message; a reopened log has the same messages, and ids continue", async () => {
    const dir = tempDir();
    const { log } = open(dir);
    expect(log.isEmpty).toBe(true);
    const a = await log.append({ user: "a", text: "one" });
    const b = await log.append({ user: "b", text: "two\nlines" });
    await log.close();
    expect(readFileSync(join(dir, LOG_FILE), "utf8").trim().split("\n").map((line) => JSON.parse(line))).toEqual([a, b]);

    const { log: again, warnings } = open(dir);
    expect(warnings).toEqual([]);
    expect(again.isEmpty).toBe(false);
    expect(await again.since(0)).toEqual([a, b]);
    expect(await again.append({ user: "c", text: "three" })).toMatchObject({ id: b.id + 1 });
    await again.close();
  });

  it(`is compacted past MESSAGE_LOG_MAX_BYTES (${MESSAGE_LOG_MAX_BYTES}) to the last HISTORY_LIMIT (${HISTORY_LIMIT}) messages`, async () => {
    const dir = tempDir();
    const { log } = open(dir);
    const text = "y".repeat(480);
    let last;
    // Enough lines to pass the limit more than once.
    const lines = Math.ceil((2.5 * MESSAGE_LOG_MAX_BYTES) / 550);
    for (let i = 0; i < lines; i++) last = await log.append({ user: "u", text });
    await log.close();
    const path = join(dir, LOG_FILE);
    expect(statSync(path).size).toBeLessThanOrEqual(MESSAGE_LOG_MAX_BYTES);
    const { log: again, warnings } = open(dir);
    expect(warnings).toEqual([]);
    const kept = await again.since(0);
    expect(kept.length).toBeGreaterThanOrEqual(HISTORY_LIMIT);
    expect(kept.at(-1)).toEqual(last);
    expect(readdirSync(dir)).toEqual([LOG_FILE]); // no temporary file left behind
    await again.close();
  });

  it("a torn last line (killed mid-write) is skipped with a warning and cut off, so the next append is a clean line", async () => {
    const dir = tempDir();
    const { log } = open(dir);
    const kept = await log.append({ user: "a", text: "kept" });
    await log.close();
    appendFileSync(join(dir, LOG_FILE), '{"id":2,"user":"a","te');

    const { log: again, warnings } = open(dir);
    expect(warnings).toEqual([expect.stringContaining("cut short")]);
    expect(await again.since(0)).toEqual([kept]);
    const next = await again.append({ user: "b", text: "after the tear" });
    expect(next.id).toBe(2);
    await again.close();
    const { log: third, warnings: none } = open(dir);
    expect(none).toEqual([]);
    expect(await third.since(0)).toEqual([kept, next]);
    await third.close();
  });

  it("a corrupt file is reported with the line, the good messages kept, the original saved aside; no crash", async () => {
    const dir = tempDir();
    const good = [
      { id: 1, user: "a", text: "one", sentAt: 1 },
      { id: 2, user: "a", text: "two", sentAt: 2 },
      { id: 3, user: "a", text: "three", sentAt: 3 },
    ];
    const lines = [JSON.stringify(good[0]), "\u0000\u0000garbage", JSON.stringify(good[1]), '{"id":1,"user":"x","text":"old id","sentAt":0}', '["not", "a message"]', JSON.stringify(good[2])];
    writeFileSync(join(dir, LOG_FILE), lines.join("\n") + "\n");

    const { log, warnings } = open(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/damaged: 3 bad line\(s\), first line 2: not JSON/);
    expect(await log.since(0)).toEqual(good);
    expect(await log.append({ user: "b", text: "four" })).toMatchObject({ id: 4 });
    await log.close();
    const saved = readdirSync(dir).find((name) => name.startsWith(`${LOG_FILE}.corrupt-`));
    expect(saved).toBeDefined();
    expect(readFileSync(join(dir, saved!), "utf8")).toBe(lines.join("\n") + "\n");
    expect(open(dir).warnings).toEqual([]); // the rewritten log is clean
  });

  it("an unreadable log (a directory in its place) fails with an error naming the path", () => {
    const dir = tempDir();
    mkdirSync(join(dir, LOG_FILE));
    expect(() => MessageLog.open(dir)).toThrow(MessageLogError);
    expect(() => MessageLog.open(dir)).toThrow(/cannot use the message log .*messages\.jsonl: EISDIR/);
  });
});
