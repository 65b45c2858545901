import * as nodeFs from "node:fs";
import { dirname, join } from "node:path";
import type { Message, MessageToStore } from "../../shared/protocol.ts";
import { DEFAULT_LOG_FSYNC, type LogFsync } from "../config.ts";
import {
  HISTORY_LIMIT,
  MESSAGE_LOG_COMPACTION_RETRY_BYTES,
  MESSAGE_LOG_MAX_BYTES,
  MESSAGE_LOG_REGROWTH,
} from "../limits/history-limits.ts";
import {
  EPOCH_PATTERN,
  MemoryMessageStore,
  newEpoch,
  NotStoredError,
  type History,
  type MessageStore,
} from "./message-store.ts";

export const LOG_FILE = "messages.jsonl";

/** The log cannot be used at all (a directory in its place, no permission): said plainly, with the path. */
export class MessageLogError extends Error {}

/**
 * The file-system calls the log makes: node:fs by default. Tests pass one that fails like a full disk
 * (ENOSPC, a short write) without needing root or a small partition.
 */
export interface LogFs {
  openSync(path: string, flags: string | number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  fstatSync(fd: number): { size: number };
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readFileSync(path: string): Buffer;
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

export interface MessageLogOptions {
  /** Rewrite the file with the last `limit` messages when it grows past this. */
  maxBytes?: number;
  limit?: number;
  /** "always": fdatasync each line before acknowledging it (survives power loss); see DEFAULT_LOG_FSYNC. */
  fsync?: LogFsync;
  /** Where problems are reported (a torn last line or a corrupt file on load, a failed compaction). */
  warn?: (text: string) => void;
  now?: () => number;
  fs?: LogFs;
}

/** Write-only, created if missing, emptied, appending: the compacted copy becomes the log with this same fd. */
const { O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = nodeFs.constants;
const FRESH_APPEND = O_WRONLY | O_CREAT | O_TRUNC | O_APPEND;

/**
 * History that survives a restart: the messages in memory (MemoryMessageStore) and, for each, one JSON line appended
 * to `<dir>/messages.jsonl`, after a first line with the history's epoch (`{"epoch":"…"}`, message-store.ts:
 * History), which every rewrite keeps: ids continue after a restart, and so does the epoch. A message is acknowledged
 * only once its whole line is written, and joins the history in memory only then; a failed or short write is cut back
 * off the file and throws NotStoredError, so the file and the history never disagree. Writes are synchronous, so the
 * order on disk is the order of ids.
 */
export class MessageLog implements MessageStore {
  /** Size of the file up to its last whole line: where a failed write is cut back to. */
  private bytes: number;
  /** A failed write could not be cut back yet: the next append tries again before writing. */
  private torn = false;
  private compactAt: number;
  /** The first line, `{"epoch":"…"}`: every rewrite of the file starts with it. */
  private readonly header: Buffer;

  private constructor(
    readonly path: string,
    private fd: number,
    private readonly memory: MemoryMessageStore,
    private readonly options: Required<Omit<MessageLogOptions, "now">>,
  ) {
    this.bytes = options.fs.fstatSync(fd).size;
    this.compactAt = options.maxBytes;
    this.header = epochLine(memory.epoch);
  }

  /** Opens (or creates) the log in `dir` and loads what it holds. */
  static open(dir: string, options: MessageLogOptions = {}): MessageLog {
    const {
      maxBytes = MESSAGE_LOG_MAX_BYTES,
      limit = HISTORY_LIMIT,
      fsync = DEFAULT_LOG_FSYNC,
      warn = console.warn,
      now,
      fs = nodeFs,
    } = options;
    const path = join(dir, LOG_FILE);
    try {
      fs.mkdirSync(dir, { recursive: true });
      const read = fs.existsSync(path) ? readLog(fs, path, warn) : { epoch: undefined, messages: [], rewrite: true };
      const memory = new MemoryMessageStore(limit, now, read.epoch ?? newEpoch());
      memory.restore(read.messages);
      // A new log, one from before epochs, or a damaged one (set aside by readLog): written anew, its epoch first.
      const data = () => Buffer.concat([epochLine(memory.epoch), messageLines(read.messages)]);
      const fd = read.rewrite ? replaceFile(fs, path, data()) : fs.openSync(path, "a");
      return new MessageLog(path, fd, memory, { maxBytes, limit, fsync, warn, fs });
    } catch (error) {
      throw new MessageLogError(`cannot use the message log ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  get epoch(): string {
    return this.memory.epoch;
  }

  /** No message in the file (its epoch line aside). */
  get isEmpty(): boolean {
    return this.bytes <= this.header.length;
  }

  async append(input: MessageToStore): Promise<Message> {
    const message = this.memory.next(input);
    const line = Buffer.from(`${JSON.stringify(message)}\n`);
    this.writeLine(line);
    this.memory.push(message);
    this.bytes += line.length;
    if (this.bytes > this.compactAt) this.compact();
    return message;
  }

  since(id: number): Promise<Message[]> {
    return this.memory.since(id);
  }

  history(id: number): Promise<History> {
    return this.memory.history(id);
  }

  async close(): Promise<void> {
    this.options.fs.closeSync(this.fd);
  }

  /** The whole line, or nothing: a failure cuts the file back to its last whole line and throws NotStoredError. */
  private writeLine(line: Buffer): void {
    const { fs, fsync } = this.options;
    try {
      if (this.torn) fs.ftruncateSync(this.fd, this.bytes);
      this.torn = false;
      writeAll(fs, this.fd, line);
      if (fsync === "always") fs.fdatasyncSync(this.fd);
    } catch (error) {
      this.torn = true;
      try {
        fs.ftruncateSync(this.fd, this.bytes);
        this.torn = false;
      } catch {
        // Still torn: the next append cuts it before writing, and a restart skips the torn last line (readLog).
      }
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new NotStoredError(`message not stored: the log could not be written (${reason}); try again`, {
        cause: error,
      });
    }
  }

  /**
   * A new chat: the file is rewritten (as compaction does) with its epoch line and `input` alone, under the next id,
   * so a restart goes on from that id in the same epoch; if the rewrite fails, nothing changed and the caller is told
   * (NotStoredError).
   */
  async restart(input: MessageToStore): Promise<Message> {
    const message = this.memory.next(input);
    const failure = this.rewrite([message]);
    if (failure) throw new NotStoredError(`new chat not started: the log could not be rewritten (${failure})`);
    this.memory.clear();
    this.memory.push(message);
    return message;
  }

  /**
   * Keeps the epoch line and the last `limit` messages. On any failure the old log stays as it was and keeps taking
   * appends; compaction is tried again after MESSAGE_LOG_COMPACTION_RETRY_BYTES more, so a full disk does not cost a
   * rewrite on every post. Synchronous: one attempt at a time, and no append between the messages taken and the
   * file replaced (it would be lost from the file).
   */
  private compact(): void {
    const failure = this.rewrite(this.memory.kept().slice(-this.options.limit));
    if (failure) {
      this.compactAt = this.bytes + MESSAGE_LOG_COMPACTION_RETRY_BYTES;
      this.options.warn(`${this.path}: compaction failed (${failure}); the log is kept as it is and still used`);
    }
  }

  /** Replaces the file with the epoch line and `messages` (replaceFile). Returns why not, the old log untouched. */
  private rewrite(messages: Message[]): string | undefined {
    const data = Buffer.concat([this.header, messageLines(messages)]);
    let fd: number;
    try {
      fd = replaceFile(this.options.fs, this.path, data);
    } catch (error) {
      return (error as Error).message;
    }
    // The renamed file is the log now, and `fd` already appends to it: nothing left that can fail and lose it.
    ignoreErrors(() => this.options.fs.closeSync(this.fd));
    this.fd = fd;
    this.bytes = data.length;
    this.torn = false;
    // Amortised: the log grows by at least what was kept before the next compaction, so however long the kept
    // messages are (1000 of 500 control characters: 3 MB, over the limit), a post costs at most about one more line.
    this.compactAt = Math.max(this.options.maxBytes, data.length * MESSAGE_LOG_REGROWTH);
    return undefined;
  }
}

const epochLine = (epoch: string) => Buffer.from(`${JSON.stringify({ epoch })}\n`);
const messageLines = (messages: Message[]) =>
  Buffer.from(messages.map((message) => `${JSON.stringify(message)}\n`).join(""));

/**
 * Writes `data` whole to `<path>.tmp`, checks the size, fsyncs it, then renames it over `path` (atomic on POSIX) and
 * fsyncs the directory (so the rename itself is durable). Returns the copy's fd, already appending to the new `path`.
 * On any failure it throws, and `path` is as it was.
 */
function replaceFile(fs: LogFs, path: string, data: Buffer): number {
  const temporary = `${path}.tmp`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, FRESH_APPEND);
    writeAll(fs, fd, data);
    fs.fsyncSync(fd);
    fs.renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) ignoreErrors(() => fs.closeSync(fd!));
    ignoreErrors(() => fs.unlinkSync(temporary));
    throw error;
  }
  ignoreErrors(() => syncDirectory(fs, dirname(path)));
  return fd;
}

/** Writes every byte or throws: a write that stops short (a full disk) without an error is one too. */
function writeAll(fs: LogFs, fd: number, data: Buffer): void {
  let written = 0;
  while (written < data.length) {
    const n = fs.writeSync(fd, data, written, data.length - written);
    if (n <= 0) throw new Error(`short write: ${written} of ${data.length} bytes`);
    written += n;
  }
}

function syncDirectory(fs: LogFs, dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function ignoreErrors(action: () => void): void {
  try {
    action();
  } catch {
    // best effort: the state that matters is already decided
  }
}

/**
 * Reads the log: its epoch line (none in a log from before epochs) and its messages. A last line cut short by a crash
 * mid-write is skipped with a warning and cut off the file (so the next append starts on a fresh line); where it
 * starts is found in bytes, not in decoded text, so bad UTF-8 earlier in the file cannot shift it. Any other bad line
 * means the file was damaged: it is reported with its line number, the good messages are kept, and the original is
 * saved as `<file>.corrupt-<time>` for a person to look at. `rewrite`: the file must be written anew (no epoch line,
 * or set aside as damaged).
 */
function readLog(fs: LogFs, path: string, warn: (text: string) => void) {
  const bytes = fs.readFileSync(path);
  const whole = bytes.lastIndexOf(0x0a) + 1; // every complete write ends with "\n"
  const lines = bytes.subarray(0, whole).toString("utf8").split("\n");
  lines.pop(); // "" after the last "\n"
  const epoch = parseEpochLine(lines[0]);
  const first = epoch === undefined ? 0 : 1;
  const messages: Message[] = [];
  const problems: string[] = [];
  lines.slice(first).forEach((line, index) => {
    const message = parseLine(line, messages.at(-1)?.id ?? 0);
    if (typeof message === "string") problems.push(`line ${first + index + 1}: ${message}`);
    else messages.push(message);
  });
  if (whole < bytes.length) {
    const torn = bytes.subarray(whole, whole + 80).toString("utf8");
    warn(`${path}: the last line was cut short (the server stopped mid-write); skipped it: ${torn}`);
    const fd = fs.openSync(path, "r+");
    try {
      fs.ftruncateSync(fd, whole);
    } finally {
      fs.closeSync(fd);
    }
  }
  if (problems.length > 0) {
    const saved = `${path}.corrupt-${Date.now()}`;
    fs.renameSync(path, saved);
    warn(
      `${path} is damaged: ${problems.length} bad line(s), first ${problems[0]}. ` +
        `Kept the ${messages.length} good messages; the original file is saved as ${saved}.`,
    );
  }
  return { epoch, messages, rewrite: epoch === undefined || problems.length > 0 };
}

/** The epoch of a `{"epoch":"…"}` line, else undefined. */
function parseEpochLine(line: string | undefined): string | undefined {
  try {
    const { epoch } = JSON.parse(line ?? "") as { epoch?: unknown };
    return typeof epoch === "string" && EPOCH_PATTERN.test(epoch) ? epoch : undefined;
  } catch {
    return undefined;
  }
}

/** One line → a message with an id above `lastId`, or why not. */
function parseLine(line: string, lastId: number): Message | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `not JSON: ${line.slice(0, 80)}`;
  }
  const m = value as Partial<Message> | null;
  if (
    typeof m !== "object" ||
    m === null ||
    !Number.isSafeInteger(m.id) ||
    typeof m.user !== "string" ||
    typeof m.text !== "string" ||
    typeof m.sentAt !== "number"
  ) {
    return `not a chat message: ${line.slice(0, 80)}`;
  }
  if (m.id! <= lastId) return `id ${m.id} is not above the previous id ${lastId}`;
  const from = m.from === "server" || m.from === "teacher" ? { from: m.from } : {};
  return { id: m.id!, user: m.user, text: m.text, sentAt: m.sentAt, ...from };
}
