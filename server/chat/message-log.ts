import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Message, NewMessage } from "../../shared/protocol.ts";
import { HISTORY_LIMIT, MESSAGE_LOG_MAX_BYTES } from "../guard/limits.ts";
import { MemoryMessageStore, type MessageStore } from "./message-store.ts";

export const LOG_FILE = "messages.jsonl";

/** The log cannot be used at all (a directory in its place, no permission): said plainly, with the path. */
export class MessageLogError extends Error {}

export interface MessageLogOptions {
  /** Rewrite the file with the last `limit` messages when it grows past this. */
  maxBytes?: number;
  limit?: number;
  /** Where problems found on load are reported (a torn last line, a corrupt file). */
  warn?: (text: string) => void;
  now?: () => number;
}

/**
 * History that survives a restart: the messages in memory (MemoryMessageStore) and, for each, one JSON line appended
 * to `<dir>/messages.jsonl` before it is acknowledged. Writes are synchronous and tiny, so the order on disk is the
 * order of ids and a message the server answered 201 for is in the file even if the process is killed right after.
 */
export class MessageLog implements MessageStore {
  private fd: number;
  private bytes: number;

  private constructor(
    readonly path: string,
    private readonly memory: MemoryMessageStore,
    private readonly maxBytes: number,
    private readonly limit: number,
  ) {
    this.fd = openSync(path, "a");
    this.bytes = statSync(path).size;
  }

  /** Opens (or creates) the log in `dir` and loads what it holds. */
  static open(dir: string, options: MessageLogOptions = {}): MessageLog {
    const { maxBytes = MESSAGE_LOG_MAX_BYTES, limit = HISTORY_LIMIT, warn = console.warn, now } = options;
    const path = join(dir, LOG_FILE);
    try {
      mkdirSync(dir, { recursive: true });
      const memory = new MemoryMessageStore(limit, now);
      if (existsSync(path)) memory.restore(readLog(path, warn));
      return new MessageLog(path, memory, maxBytes, limit);
    } catch (error) {
      throw new MessageLogError(`cannot use the message log ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  get isEmpty(): boolean {
    return this.bytes === 0;
  }

  async append(input: NewMessage): Promise<Message> {
    const message = await this.memory.append(input);
    const line = Buffer.from(JSON.stringify(message) + "\n");
    writeSync(this.fd, line);
    this.bytes += line.length;
    if (this.bytes > this.maxBytes) await this.compact();
    return message;
  }

  since(id: number): Promise<Message[]> {
    return this.memory.since(id);
  }

  async close(): Promise<void> {
    closeSync(this.fd);
  }

  /** Keeps the last `limit` messages: written to a new file, then renamed over the old one (atomic on POSIX). */
  private async compact(): Promise<void> {
    const kept = (await this.memory.since(0)).slice(-this.limit);
    const text = kept.map((message) => JSON.stringify(message) + "\n").join("");
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, "w");
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, this.path);
    closeSync(this.fd);
    this.fd = openSync(this.path, "a");
    this.bytes = Buffer.byteLength(text);
  }
}

/**
 * Reads the log. A last line cut short by a crash mid-write is skipped with a warning and cut off the file (so the
 * next append starts on a fresh line). Any other bad line means the file was damaged: it is reported with its line
 * number, the good messages are kept, and the original is saved as `<file>.corrupt-<time>` for a person to look at.
 */
function readLog(path: string, warn: (text: string) => void): Message[] {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const torn = lines.pop(); // "" when the file ends with a newline, as every complete write does
  const messages: Message[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const message = parseLine(line, messages.at(-1)?.id ?? 0);
    if (typeof message === "string") problems.push(`line ${index + 1}: ${message}`);
    else messages.push(message);
  });
  if (torn) {
    warn(`${path}: the last line was cut short (the server stopped mid-write); skipped it: ${torn.slice(0, 80)}`);
    truncateSync(path, Buffer.byteLength(text) - Buffer.byteLength(torn));
  }
  if (problems.length > 0) {
    const saved = `${path}.corrupt-${Date.now()}`;
    renameSync(path, saved);
    const fd = openSync(path, "w");
    writeSync(fd, messages.map((message) => JSON.stringify(message) + "\n").join(""));
    closeSync(fd);
    warn(
      `${path} is damaged: ${problems.length} bad line(s), first ${problems[0]}. ` +
        `Kept the ${messages.length} good messages; the original file is saved as ${saved}.`,
    );
  }
  return messages;
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
    typeof m !== "object" || m === null ||
    !Number.isSafeInteger(m.id) || typeof m.user !== "string" || typeof m.text !== "string" || typeof m.sentAt !== "number"
  ) {
    return `not a chat message: ${line.slice(0, 80)}`;
  }
  if (m.id! <= lastId) return `id ${m.id} is not above the previous id ${lastId}`;
  return { id: m.id!, user: m.user, text: m.text, sentAt: m.sentAt };
}
