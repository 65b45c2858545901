import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as nodeFs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { FullDisk } from "../../../bench/environment/full-disk.ts";
import {
  HISTORY_LIMIT,
  MESSAGE_LOG_COMPACTION_RETRY_BYTES,
  MESSAGE_LOG_MAX_BYTES,
} from "../../../server/limits/history-limits.ts";
import { LOG_FILE, MessageLog, MessageLogError, type LogFs } from "../../../server/chat/message-log.ts";
import type { Message } from "../../../shared/protocol.ts";
import { Chat } from "../../../server/chat/chat.ts";
import { NotStoredError } from "../../../server/chat/message-store.ts";
import { startServer } from "../../../server/node/node-server.ts";
import { getMessages } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "message-log-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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
    const file = readFileSync(join(dir, LOG_FILE), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(file).toEqual([{ epoch: log.epoch }, a, b]); // the history's epoch first (message-store.ts: History)

    const { log: again, warnings } = open(dir);
    expect(warnings).toEqual([]);
    expect(again.isEmpty).toBe(false);
    expect(await again.since(0)).toEqual([a, b]);
    expect(await again.append({ user: "c", text: "three" })).toMatchObject({ id: b.id + 1 });
    await again.close();
  });

  it("keeps the server's mark (from) across a reopen, and only its two values", async () => {
    const dir = tempDir();
    const { log } = open(dir);
    const marked = await log.append({ user: "server", text: "new chat", from: "server" });
    const plain = await log.append({ user: "teacher", text: "a student" });
    await log.close();
    const { log: again } = open(dir);
    expect(await again.since(0)).toEqual([marked, plain]);
    expect(marked.from).toBe("server");
    expect(plain).not.toHaveProperty("from");
    await again.close();
  });

  it("restart() (a new chat) leaves the new first message alone in the file; a reopened log goes on from its id", async () => {
    const dir = tempDir();
    const { log } = open(dir);
    await log.append({ user: "a", text: "one" });
    const two = await log.append({ user: "b", text: "two" });
    const fresh = await log.restart({ user: "server", text: "new chat" });
    expect(fresh).toMatchObject({ id: two.id + 1, text: "new chat" });
    expect(await log.since(0)).toEqual([fresh]);
    const after = await log.append({ user: "c", text: "three" });
    await log.close();
    // The same history goes on (its epoch line first, kept): open pages need not start again.
    const lines = readFileSync(join(dir, LOG_FILE), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([{ epoch: log.epoch }, fresh, after]);

    const { log: again } = open(dir);
    expect(again.epoch).toBe(log.epoch);
    expect(await again.since(0)).toEqual([fresh, after]);
    expect(await again.append({ user: "d", text: "four" })).toMatchObject({ id: after.id + 1 });
    await again.close();
  });

  it("restart() on a full disk: NotStoredError, the old history and file kept as they were", async () => {
    const dir = tempDir();
    const disk = new FullDisk();
    const { log } = open(dir, { fs: disk.fs });
    const one = await log.append({ user: "a", text: "one" });
    const before = readFileSync(join(dir, LOG_FILE), "utf8");
    disk.free = 5;
    await expect(log.restart({ user: "server", text: "new chat" })).rejects.toThrow(NotStoredError);
    expect(await log.since(0)).toEqual([one]);
    expect(readFileSync(join(dir, LOG_FILE), "utf8")).toBe(before);
    disk.free = Infinity;
    expect(await log.append({ user: "b", text: "two" })).toMatchObject({ id: one.id + 1 });
    await log.close();
  });

  it(`is compacted past MESSAGE_LOG_MAX_BYTES (${MESSAGE_LOG_MAX_BYTES}) to the last HISTORY_LIMIT (${HISTORY_LIMIT}) messages`, async () => {
    const dir = tempDir();
    const { log } = open(dir);
    const text = "y".repeat(480);
    let last: Message | undefined;
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
    const lines = [
      JSON.stringify(good[0]),
      "\u0000\u0000garbage",
      JSON.stringify(good[1]),
      '{"id":1,"user":"x","text":"old id","sentAt":0}',
      '["not", "a message"]',
      JSON.stringify(good[2]),
    ];
    writeFileSync(join(dir, LOG_FILE), `${lines.join("\n")}\n`);

    const { log, warnings } = open(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/damaged: 3 bad line\(s\), first line 2: not JSON/);
    expect(await log.since(0)).toEqual(good);
    expect(await log.append({ user: "b", text: "four" })).toMatchObject({ id: 4 });
    await log.close();
    const saved = readdirSync(dir).find((name) => name.startsWith(`${LOG_FILE}.corrupt-`));
    expect(saved).toBeDefined();
    expect(readFileSync(join(dir, saved!), "utf8")).toBe(`${lines.join("\n")}\n`);
    expect(open(dir).warnings).toEqual([]); // the rewritten log is clean
  });

  it("keeps its history's epoch: made with a new log, the same after a reopen and a compaction", async () => {
    const dir = tempDir();
    const { log } = open(dir, { maxBytes: 2048, limit: 5 });
    const epoch = log.epoch;
    expect(epoch).toMatch(/^[0-9a-f]{12}$/);
    expect((await log.history(0)).epoch).toBe(epoch);
    for (let i = 0; i < 50; i++) await log.append({ user: "u", text: `message ${i}` }); // compacted several times
    await log.close();
    expect(statSync(join(dir, LOG_FILE)).size).toBeLessThanOrEqual(2048);
    expect(readFileSync(join(dir, LOG_FILE), "utf8").split("\n")[0]).toBe(JSON.stringify({ epoch }));
    const { log: again, warnings } = open(dir);
    expect(warnings).toEqual([]);
    expect(again.epoch).toBe(epoch);
    expect((await again.since(0)).at(-1)).toMatchObject({ id: 50, text: "message 49" });
    await again.close();
    const { log: other } = open(tempDir());
    expect(other.epoch).not.toBe(epoch); // another history, another epoch
    await other.close();
  });

  it("a log from before epochs gets one on open, keeps its messages, and its torn last line is still cut", async () => {
    const dir = tempDir();
    const old = [
      { id: 1, user: "a", text: "one", sentAt: 1 },
      { id: 2, user: "a", text: "two", sentAt: 2 },
    ];
    writeFileSync(join(dir, LOG_FILE), `${old.map((m) => `${JSON.stringify(m)}\n`).join("")}{"id":3,"us`);
    const { log, warnings } = open(dir);
    expect(warnings).toEqual([expect.stringContaining("cut short")]);
    expect(await log.since(0)).toEqual(old);
    const next = await log.append({ user: "b", text: "three" });
    await log.close();
    const [header, ...rest] = readFileSync(join(dir, LOG_FILE), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(header).toEqual({ epoch: log.epoch });
    expect(rest).toEqual([...old, next]);
    expect(readdirSync(dir)).toEqual([LOG_FILE]);
    const { log: again, warnings: none } = open(dir);
    expect(none).toEqual([]);
    expect(again.epoch).toBe(log.epoch);
    await again.close();
  });

  it("an unreadable log (a directory in its place) fails with an error naming the path", () => {
    const dir = tempDir();
    mkdirSync(join(dir, LOG_FILE));
    expect(() => MessageLog.open(dir)).toThrow(MessageLogError);
    expect(() => MessageLog.open(dir)).toThrow(/cannot use the message log .*messages\.jsonl: EISDIR/);
  });
});

/** The messages in the file, after its epoch line. */
const lines = (dir: string) =>
  readFileSync(join(dir, LOG_FILE), "utf8")
    .split("\n")
    .slice(1, -1)
    .map((line) => JSON.parse(line));

describe("MessageLog: nothing acknowledged is lost, nothing unacknowledged is kept", () => {
  it(
    "a full disk mid-line (a short write, then ENOSPC): NotStoredError, the history and the file keep only whole " +
      "lines, and after space returns ids continue",
    async () => {
      const dir = tempDir();
      const disk = new FullDisk();
      const { log } = open(dir, { fs: disk.fs });
      const a = await log.append({ user: "a", text: "stored" });
      disk.fill(10); // the next line gets 10 bytes on disk, then no more
      await expect(log.append({ user: "b", text: "x".repeat(2000) })).rejects.toThrow(NotStoredError);
      await expect(log.append({ user: "b", text: "again" })).rejects.toThrow(/not stored.*ENOSPC/);
      expect(await log.since(0)).toEqual([a]);
      expect(lines(dir)).toEqual([a]); // the partial line was cut back off
      disk.clear();
      const c = await log.append({ user: "c", text: "after" });
      expect(c.id).toBe(a.id + 1); // no id was used by a message that was not stored
      await log.close();
      const { log: again, warnings } = open(dir);
      expect(warnings).toEqual([]);
      expect(await again.since(0)).toEqual([a, c]);
      await again.close();
    },
  );

  it("the log on /dev/full (a real ENOSPC): every append is refused, nothing joins the history", async () => {
    const dir = tempDir();
    await open(dir).log.close(); // a log with its epoch line, appended to from now on
    const onDevFull: LogFs = {
      ...nodeFs,
      openSync: (path, flags) => nodeFs.openSync(path.endsWith(LOG_FILE) && flags === "a" ? "/dev/full" : path, flags),
    };
    const { log } = open(dir, { fs: onDevFull });
    await expect(log.append({ user: "a", text: "one" })).rejects.toThrow(/not stored.*ENOSPC/);
    await expect(log.append({ user: "a", text: "two" })).rejects.toThrow(NotStoredError);
    expect(await log.since(0)).toEqual([]);
    await log.close();
  });

  it(
    "a compaction that cannot write its copy (a directory at messages.jsonl.tmp) keeps the old log, stores and " +
      "acknowledges every post, and is retried later",
    async () => {
      const dir = tempDir();
      const { log, warnings } = open(dir, { maxBytes: 4096, limit: 10 });
      nodeFs.mkdirSync(join(dir, `${LOG_FILE}.tmp`));
      const posted = [];
      for (let i = 0; i < 100; i++) posted.push(await log.append({ user: "u", text: `message ${i}` })); // none throws
      expect(warnings).toEqual([expect.stringMatching(/compaction failed.*EISDIR.*kept as it is/)]); // once, not per post
      expect(lines(dir)).toEqual(posted); // the old log, whole, with every acknowledged line
      rmSync(join(dir, `${LOG_FILE}.tmp`), { recursive: true });
      const line = Buffer.byteLength(`${JSON.stringify(posted[0])}\n`);
      const more = (2 * MESSAGE_LOG_COMPACTION_RETRY_BYTES) / line;
      for (let i = 0; i < more; i++) await log.append({ user: "u", text: "more" });
      expect(statSync(join(dir, LOG_FILE)).size).toBeLessThanOrEqual(4096); // the retry compacted it
      const kept = await log.since(0);
      await log.close();
      expect(lines(dir).slice(-kept.length)).toEqual(kept);
    },
  );

  it("compaction is amortised: kept messages bigger than maxBytes do not make every post compact again", async () => {
    const dir = tempDir();
    let written = 0;
    let renames = 0;
    const fs: LogFs = {
      ...nodeFs,
      writeSync: (fd, data, offset, length) => {
        written += length;
        return nodeFs.writeSync(fd, data, offset, length);
      },
      renameSync: (from, to) => {
        renames++;
        nodeFs.renameSync(from, to);
      },
    };
    // 10 kept messages of 500 control characters: ~30 KB as JSON, over maxBytes (4096).
    const { log } = open(dir, { maxBytes: 4096, limit: 10, fs });
    const heavy = { user: "u", text: "\u0001".repeat(500) };
    for (let i = 0; i < 20; i++) await log.append(heavy);
    const line = Buffer.byteLength(`${JSON.stringify(await log.append({ user: "u", text: "hello" }))}\n`);
    [written, renames] = [0, 0];
    const posts = 150;
    for (let i = 0; i < posts; i++) await log.append(heavy);
    const heavyLine = Buffer.byteLength(`${JSON.stringify((await log.since(0)).at(-1))}\n`);
    expect(line).toBeLessThan(heavyLine);
    expect(renames).toBeLessThanOrEqual(posts / 5); // once every ~10 posts at most, not on each
    expect(written / posts).toBeLessThanOrEqual(3 * heavyLine); // its line, and at most ~one more in compactions
    await log.close();
  });

  it("posts arriving together while compaction fails: one attempt and one warning, then the retry point", async () => {
    const dir = tempDir();
    const { log, warnings } = open(dir, { maxBytes: 4096, limit: 10 });
    nodeFs.mkdirSync(join(dir, `${LOG_FILE}.tmp`));
    const posted = await Promise.all(
      Array.from({ length: 200 }, (_, i) => log.append({ user: `socket ${i % 12}`, text: `message ${i}` })),
    );
    expect(warnings).toHaveLength(1);
    expect(lines(dir)).toEqual(posted);
    await log.close();
  });

  it("a compaction on a nearly full disk (its copy stops short) keeps the whole old log; posts go on", async () => {
    const dir = tempDir();
    const disk = new FullDisk();
    const { log, warnings } = open(dir, { maxBytes: 20_000, limit: 100, fs: disk.fs });
    const posted = [];
    const text = "y".repeat(80);
    while (statSync(join(dir, LOG_FILE)).size < 19_000) posted.push(await log.append({ user: "u", text }));
    const big = { user: "u", text: "y".repeat(1500) };
    const bigLine = Buffer.byteLength(JSON.stringify({ id: 1e6, ...big, sentAt: Date.now() }));
    disk.fill(bigLine + 500); // room for the line, not for the copy
    posted.push(await log.append(big)); // passes maxBytes: compaction fails
    expect(warnings).toEqual([expect.stringContaining("compaction failed")]);
    expect(readdirSync(dir)).toEqual([LOG_FILE]); // the partial copy was removed
    expect(lines(dir)).toEqual(posted);
    await log.close();
    expect(await open(dir).log.since(0)).toEqual(posted); // a restart finds every acknowledged message
  });

  it("a torn last line after a line with invalid UTF-8 is cut at the right byte", async () => {
    const dir = tempDir();
    const path = join(dir, LOG_FILE);
    // JSON.parse reads each bad byte as U+FFFD (3 bytes in UTF-8): counting in decoded text would cut 4 bytes short.
    const first = Buffer.concat([
      Buffer.from('{"id":1,"user":"a","text":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","sentAt":1}\n'),
    ]);
    const header = Buffer.from('{"epoch":"0123456789ab"}\n');
    writeFileSync(path, Buffer.concat([header, first, Buffer.from('{"id":')]));
    const { log, warnings } = open(dir);
    expect(warnings).toEqual([expect.stringContaining("cut short")]);
    expect(readFileSync(path)).toEqual(Buffer.concat([header, first]));
    const next = await log.append({ user: "b", text: "after the tear" });
    await log.close();
    const { log: again, warnings: none } = open(dir);
    expect(none).toEqual([]);
    expect((await again.since(0)).map((m) => m.id)).toEqual([1, next.id]);
    await again.close();
  });

  it('fsync "always" forces each line to the disk before append returns; "never" leaves it to the kernel', async () => {
    for (const [fsync, expected] of [
      ["always", 3],
      ["never", 0],
    ] as const) {
      let synced = 0;
      const counting: LogFs = { ...nodeFs, fdatasyncSync: (fd) => (synced++, nodeFs.fdatasyncSync(fd)) };
      const { log } = open(tempDir(), { fs: counting, fsync });
      for (let i = 0; i < 3; i++) await log.append({ user: "u", text: "t" });
      await log.close();
      expect(synced).toBe(expected);
    }
  });
});

describe("a full disk over HTTP and the socket", () => {
  it("POST gets 500 with a JSON error and the socket an error frame; neither message is in the history or pushed", async () => {
    const disk = new FullDisk();
    const log = MessageLog.open(tempDir(), { fs: disk.fs, warn: () => {} });
    const server = await startServer({ port: 0, hostname: "127.0.0.1", chat: new Chat(log) });
    try {
      const watcher = await SocketClient.open(server.url);
      const poster = await SocketClient.open(server.url);
      disk.fill(5);
      const response = await fetch(`${server.url}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: "a", text: "lost?" }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: expect.stringMatching(/not stored.*ENOSPC.*try again/),
        code: "not-stored",
      });
      poster.send({ user: "b", text: "over the socket" });
      await poster.waitForFrame((frame) => "error" in frame);
      disk.clear();
      poster.send({ user: "b", text: "stored" });
      await watcher.waitForText("stored");
      expect((await getMessages(server.url)).map((m) => m.text)).toEqual(["stored"]);
      expect(watcher.messages.map((m) => m.text)).toEqual(["stored"]);
      await Promise.all([watcher.close(), poster.close()]);
    } finally {
      await server.close();
    }
  });
});
