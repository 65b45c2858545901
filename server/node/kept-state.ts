import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { newTeacherToken } from "../guard/teacher-rule.ts";
import type { LabSnapshot } from "../lab/lab-runs.ts";

/** The teacher's secret, kept in the data directory beside the history and the TLS certificate. */
const TOKEN_FILE = "teacher-token";
/** The chat bot's rate as the teacher last set it. */
const BOT_FILE = "bot.json";
/** The lab's runs still running and the students' progress, written as the server stops (lab-runs.ts). */
const LAB_FILE = "lab.json";

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

/**
 * The room's state that must outlive a restart (step 6 stops and starts the server mid-lesson): the teacher URL's
 * token, so a second device keeps its controls, the bot's rate, so the chat carries on as the slide left it, and the
 * lab's runs, so a student's code that reconnects (exercise 4) is judged as one run across the restart.
 * Kept in the data directory; `--memory` keeps nothing, and every start is then a fresh room.
 */
export class KeptState {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The token of an earlier start, or a new one written for the next (owner-only, like the TLS key). */
  teacherToken(): string {
    const file = join(this.dir, TOKEN_FILE);
    const kept = read(file)?.trim();
    if (kept && /^[0-9a-f]{32}$/.test(kept)) return kept;
    const token = newTeacherToken();
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return token;
  }

  /** The rate the teacher last set (0 if none, or unreadable). */
  botRate(): number {
    let rate: unknown;
    try {
      rate = (JSON.parse(read(join(this.dir, BOT_FILE)) ?? "{}") as { rate?: unknown }).rate;
    } catch {
      return 0; // a damaged file: start with the bot off, as on a first start
    }
    return typeof rate === "number" && Number.isFinite(rate) && rate >= 0 ? rate : 0;
  }

  saveBotRate(rate: number): void {
    writeFileSync(join(this.dir, BOT_FILE), `${JSON.stringify({ rate })}\n`);
  }

  /** The lab as the last stop left it, once: read and removed (a later crash must not bring back stale runs). */
  takeLab(): LabSnapshot | undefined {
    const file = join(this.dir, LAB_FILE);
    const text = read(file);
    if (text === undefined) return undefined;
    rmSync(file, { force: true });
    try {
      const snapshot = JSON.parse(text) as LabSnapshot;
      return Array.isArray(snapshot.runs) && Array.isArray(snapshot.students) ? snapshot : undefined;
    } catch {
      return undefined; // a damaged file: the lab starts empty, as on a first start
    }
  }

  saveLab(snapshot: LabSnapshot): void {
    writeFileSync(join(this.dir, LAB_FILE), JSON.stringify(snapshot));
  }
}
