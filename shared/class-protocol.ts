import type { TrafficTotals } from "./protocol.ts";
import type { TransportId } from "./transports.ts";

/**
 * The class view (/class) and the teacher's controls: paths and bodies shared by the server (server/class/) and the
 * pages (clients/class/, clients/page/presenter/teacher-mode.ts).
 */
export const CLASS_PATHS = {
  /** The projector's page. */
  page: "/class",
  /** The class view's numbers, asked for once a second; left out of every count (server/counting/class-feed.ts). */
  numbers: "/class/numbers",
  /** `{ teacher: boolean }`: whether this browser may use the controls (it shows them only then). */
  teacher: "/class/teacher",
  /** Teacher only: `{ locked: boolean }` stops (or allows again) students' posts. */
  lock: "/class/lock",
  /** Teacher only: `{}` starts a new chat: history, counters and the log cleared, ids continuing upwards. */
  newChat: "/class/new-chat",
  /** `GET` anyone; `POST { rate }` teacher only: the chat bot's messages per second, 0 = off. */
  bot: "/bot",
} as const;

/** The header a teacher's browser sends its token in (stored in its localStorage after the first visit). */
export const TEACHER_HEADER = "x-teacher-token";
/** The query parameter of the teacher URL `npm start` prints: `/?teacher=<token>`. */
export const TEACHER_PARAM = "teacher";

/** What one transport has cost since the server started (or the last new chat): monotonic counters. */
/** One transport's totals: monotonic counters (as the server counted them), and the clients connected now. */
export type TransportTotals = TrafficTotals & { clients: number };

/** Body of `GET /class/numbers`: the class view turns successive ones into rates. */
export interface ClassNumbers {
  /** Server clock, ms. */
  at: number;
  /** CPU time this server process has used, in microseconds (user + system); null where the runtime does not say. */
  cpuMicros: number | null;
  transports: Record<TransportId, TransportTotals>;
  bot: { rate: number };
  locked: boolean;
  /** The server process's id (server/pane-traffic.ts): a new one after a restart, when every count starts again. */
  boot: string;
  /** Goes up on every new chat: the class view clears its charts. */
  chatNumber: number;
  /** The address students open (the LAN URL from `npm start`); null: the page uses its own origin. */
  joinUrl: string | null;
}

export interface TeacherBody {
  teacher: boolean;
}
export interface LockBody {
  locked: boolean;
}
export interface BotBody {
  rate: number;
}

/** Highest chat-bot rate, in messages per second, that the page or `--bot` may ask for. */
export const MAX_BOT_RATE = 50;
