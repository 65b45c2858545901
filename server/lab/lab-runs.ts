import type { Context, MiddlewareHandler } from "hono";
import type { WSContext, WSEvents } from "hono/ws";
import {
  EXERCISES,
  LAB_RUN_ID,
  type ExerciseId,
  type LabProgress,
  type LabReport,
  type LabShownCode,
  type Shown,
  type WireFigures,
} from "../../shared/lab.ts";
import { PANE_PARAM, PATHS, type ErrorBody, type Message } from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import {
  LAB_REQUEST_BURST,
  LAB_REQUESTS_PER_SECOND,
  LAB_SOCKETS_PER_RUN,
  MAX_KEPT_LAB_RUNS,
  MAX_LAB_RECORDS,
  MAX_LAB_RUNS,
} from "../limits/lab-limits.ts";
import { KeyedRateLimiter } from "../guard/rate-limit.ts";
import type { RequestCounts } from "../counting/traffic-counts.ts";
import { checkRun, passed } from "./checks.ts";

/** A sandboxed frame (the lab runs students' code in one) has an opaque origin: its requests say `Origin: null`. */
const OPAQUE_ORIGIN = "null";
/** The close code of the lab's "restart" (exercise 4): the same as a server that restarts (1012, Service Restart). */
const CLOSE_RESTART = 1012;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null;
};
const push = <T>(list: T[], item: T) => list.length < MAX_LAB_RECORDS && list.push(item);

/** One press of Run: what its code did, as the server saw it. */
class LabRun {
  readonly pollTimes: number[] = [];
  requests = 0;
  withSince = 0;
  emptyAnswers = 0;
  readonly statuses: Record<string, number> = {};
  readonly refused = new Set<string>();
  readonly limits = new Set<string>();
  readonly answered = new Set<number>();
  readonly stored: { id: number; sentAt: number }[] = [];
  readonly shown: Shown[] = [];
  readonly sockets = new Set<WSContext>();
  upgrades = 0;
  maxOpenSockets = 0;
  framesIn = 0;
  cuts = 0;
  /** From its first poll or socket on, the messages stored count as ones it should show. */
  listening = false;
  stoppedAt: number | undefined;
  /** Sockets open when Stop was pressed: what a stopped run is judged by (Stop itself closes them). */
  openAtStop = 0;

  constructor(
    readonly id: string,
    readonly exercise: ExerciseId,
    readonly student: string,
    readonly name: string,
    readonly startedAt: number,
  ) {}
}

interface Student {
  handle: string;
  name: string;
  tried: Set<ExerciseId>;
  passed: Set<ExerciseId>;
  lastRun?: string;
  code?: string;
}

/** A run as kept across a restart (server/node/kept-state.ts): its figures and records, without its sockets. */
type KeptRun = Omit<LabRun, "refused" | "limits" | "answered" | "sockets"> & {
  refused: string[];
  limits: string[];
  answered: number[];
  openSockets: number;
};

/** What of the lab outlives a restart: the runs still running, each student's progress, the anonymous switch. */
export interface LabSnapshot {
  runs: KeptRun[];
  students: (Omit<Student, "tried" | "passed"> & { id: string; tried: ExerciseId[]; passed: ExerciseId[] })[];
  anonymous: boolean;
}

/**
 * The lab's judge: each run's traffic is tagged `?p=<run id>.<transport>` (the lab's frame adds it, as the panes
 * do), so the server tells one run's requests, answers, sockets and frames from everyone else's, and its bytes
 * come from the pane ledger (counted at the TCP socket on Node). Its checks (checks.ts) read these figures only.
 */
export class LabRuns {
  private readonly runs = new Map<string, LabRun>();
  private readonly limiter: KeyedRateLimiter;
  /** Per student (their own id): name, the steps tried and passed, their last run and its code. */
  private readonly students = new Map<string, Student>();
  /** Teacher's handles ("s1", "s2"…) to the students' own ids, which only their lab page knows. */
  private readonly handles = new Map<string, string>();
  private nextHandle = 1;
  anonymous = false;

  constructor(
    chat: Chat,
    private readonly stats: RequestCounts,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new KeyedRateLimiter({ perSecond: LAB_REQUESTS_PER_SECOND, burst: LAB_REQUEST_BURST }, now);
    chat.subscribe((message: Message) => {
      for (const run of this.runs.values())
        if (run.listening && run.stoppedAt === undefined) push(run.stored, { id: message.id, sentAt: message.sentAt });
    });
  }

  start(exercise: ExerciseId, student: string, name: string, code?: string): string {
    const id = `lab${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => (b % 36).toString(36)).join("")}`;
    if (this.runs.size >= MAX_LAB_RUNS) this.runs.delete(this.runs.keys().next().value!);
    this.runs.set(id, new LabRun(id, exercise, student, name, this.now()));
    if (!this.students.has(student) && this.students.size >= MAX_LAB_RUNS) {
      const [oldest, { handle }] = this.students.entries().next().value!;
      this.students.delete(oldest);
      this.handles.delete(handle);
    }
    const known = this.students.get(student) ?? this.newStudent(student, name);
    known.name = name;
    known.tried.add(exercise);
    known.lastRun = id;
    known.code = code;
    this.students.set(student, known);
    return id;
  }

  private newStudent(id: string, name: string): Student {
    const handle = `s${this.nextHandle++}`;
    this.handles.set(handle, id);
    return { handle, name, tried: new Set(), passed: new Set() };
  }

  /** For the teacher's projector: a student's last run, its code and the server's verdict (teacher routes only). */
  shownCode(handle: string): LabShownCode | undefined {
    const student = this.students.get(this.handles.get(handle) ?? "");
    const run = student?.lastRun === undefined ? undefined : this.runs.get(student.lastRun);
    if (!student || !run || student.code === undefined) return undefined;
    return {
      name: this.anonymous ? null : student.name,
      exercise: run.exercise,
      code: student.code,
      report: this.report(run.id, []) ?? null,
    };
  }

  /** The run a request's `?p=` names (any run, stopped or not), if it is the lab's. */
  runOf(c: Context): LabRun | undefined {
    const id = c.req.query(PANE_PARAM)?.split(".")[0];
    return id && LAB_RUN_ID.test(id) ? this.runs.get(id) : undefined;
  }

  /**
   * Every request of a run: counted in its bucket (LAB_REQUESTS_PER_SECOND, 429 past it), recorded with its answer,
   * and, for the lab's frame (`Origin: null`), given the CORS header that lets it read GET /messages and the errors
   * (never on a teacher route: their 403 is read by nobody). Registered after /ws: it reads the answer's body.
   */
  recorder(): MiddlewareHandler {
    return async (c, next) => {
      const run = this.runOf(c);
      if (!run) return next();
      run.requests++;
      const route = `${c.req.method} ${c.req.path}`;
      const readable = c.req.header("origin") === OPAQUE_ORIGIN && c.req.path === PATHS.messages;
      if (readable) c.header("Access-Control-Allow-Origin", OPAQUE_ORIGIN);
      const wait = this.limiter.take(run.id);
      if (wait > 0) {
        run.limits.add("LAB_REQUESTS_PER_SECOND");
        this.count(run, route, 429);
        const error = `lab: at most ${LAB_REQUESTS_PER_SECOND} requests per second from one run (LAB_REQUESTS_PER_SECOND)`;
        return c.json<ErrorBody>({ error, code: "rate-limited" }, 429, { "Retry-After": String(wait) });
      }
      if (route === `GET ${PATHS.messages}`) {
        run.listening = true;
        push(run.pollTimes, this.now());
        if (c.req.query("since") !== undefined) run.withSince++;
      }
      await next();
      this.count(run, route, c.res.status);
      if (route !== `GET ${PATHS.messages}` || c.res.status !== 200) return;
      const messages = (await c.res.clone().json()) as Message[];
      if (messages.length === 0) run.emptyAnswers++;
      for (const { id } of messages) run.answered.add(id);
    };
  }

  private count(run: LabRun, route: string, status: number) {
    run.statuses[status] = (run.statuses[status] ?? 0) + 1;
    if (status >= 400 && run.refused.size < 50) run.refused.add(`${route} ${status}`);
  }

  /**
   * /ws's origin rule, with one exception: the lab's frame (`Origin: null`) may open a socket for a run that is not
   * stopped, at most LAB_SOCKETS_PER_RUN at once. Any other opaque origin is refused as before (origin.ts).
   */
  socketOrigin(allowOrigin: MiddlewareHandler): MiddlewareHandler {
    return async (c, next) => {
      const run = this.runOf(c);
      if (!run || c.req.header("origin") !== OPAQUE_ORIGIN || run.stoppedAt !== undefined) return allowOrigin(c, next);
      if (run.sockets.size >= LAB_SOCKETS_PER_RUN) {
        run.limits.add("LAB_SOCKETS_PER_RUN");
        const error = `lab: at most ${LAB_SOCKETS_PER_RUN} sockets open at once from one run (LAB_SOCKETS_PER_RUN)`;
        return c.json<ErrorBody>({ error, code: "rate-limited" }, 429, { "x-error": error });
      }
      return next();
    };
  }

  /** The socket's events, watched for a lab run: opened, closed, frames in, the frame limit reached. */
  watchSockets<S>(events: (c: Context) => WSEvents<S>): (c: Context) => WSEvents<S> {
    return (c) => {
      const inner = events(c);
      const run = this.runOf(c);
      if (!run) return inner;
      return {
        ...inner,
        onOpen: (event, ws) => {
          run.upgrades++;
          run.listening = true;
          run.sockets.add(ws as WSContext);
          run.maxOpenSockets = Math.max(run.maxOpenSockets, run.sockets.size);
          return inner.onOpen?.(event, ws);
        },
        onMessage: async (event, ws) => {
          run.framesIn++;
          await inner.onMessage?.(event, ws);
          // The socket's frame limit (socket.ts) closes it with 1008: the frame was text, so nothing else did.
          if (ws.readyState >= 2 && typeof event.data === "string") run.limits.add("SOCKET_MESSAGES_PER_SECOND");
        },
        onClose: (event, ws) => {
          run.sockets.delete(ws as WSContext);
          return inner.onClose?.(event, ws);
        },
      };
    };
  }

  /** The page's report of what `show()` was given; stop (the Stop button) or cut (exercise 4's restart) the run. */
  report(id: string, shown: Shown[], { stop = false, cut = false } = {}): LabReport | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.stoppedAt === undefined) for (const entry of shown) push(run.shown, entry);
    if (cut && run.stoppedAt === undefined) {
      run.cuts++;
      for (const ws of run.sockets) ws.close(CLOSE_RESTART, "lab: the server restarts (for this run only)");
    }
    if (stop && run.stoppedAt === undefined) {
      run.stoppedAt = this.now();
      run.openAtStop = run.sockets.size;
      for (const ws of run.sockets) ws.close(1000, "lab: stopped");
    }
    const wire = this.wire(run);
    const checks = checkRun({ ...run, wire });
    const ok = passed(checks);
    if (ok) this.students.get(run.student)?.passed.add(run.exercise);
    return { id, exercise: run.exercise, wire, checks, passed: ok };
  }

  private wire(run: LabRun): WireFigures {
    const gaps = run.pollTimes.slice(1).map((at, i) => at - run.pollTimes[i]!);
    const totals = this.stats.paneTotals(run.id);
    const counted = totals?.bytesCounted ?? false;
    return {
      seconds: ((run.stoppedAt ?? this.now()) - run.startedAt) / 1000,
      requests: run.requests,
      polls: run.pollTimes.length,
      withSince: run.withSince,
      emptyAnswers: run.emptyAnswers,
      spacingMs: median(gaps),
      minSpacingMs: gaps.length ? Math.min(...gaps) : null,
      bytesIn: counted ? totals!.bytesIn : null,
      bytesOut: counted ? totals!.bytesOut : null,
      upgrades: run.upgrades,
      openSockets: run.stoppedAt === undefined ? run.sockets.size : run.openAtStop,
      maxOpenSockets: run.maxOpenSockets,
      framesIn: run.framesIn,
      statuses: { ...run.statuses },
      refused: [...run.refused],
      limits: [...run.limits],
    };
  }

  /**
   * For a restart (step 6, exercise 4): the runs not stopped (the newest MAX_KEPT_LAB_RUNS) and the students'
   * progress. Taken before the server closes its sockets, so a run knows it had one open.
   */
  snapshot(): LabSnapshot {
    const running = [...this.runs.values()].filter((run) => run.stoppedAt === undefined).slice(-MAX_KEPT_LAB_RUNS);
    return {
      runs: running.map(({ sockets, refused, limits, answered, ...run }) => ({
        ...run,
        refused: [...refused],
        limits: [...limits],
        answered: [...answered],
        openSockets: sockets.size,
      })),
      students: [...this.students].map(([id, s]) => ({ ...s, id, tried: [...s.tried], passed: [...s.passed] })),
      anonymous: this.anonymous,
    };
  }

  /**
   * After a restart: the kept runs go on under their ids (their code reconnects with the same `?p=` tag and is judged
   * as one run). The restart closed each open socket, a cut like the lab's own "restart" button.
   */
  restore(snapshot: LabSnapshot): void {
    for (const { openSockets, refused, limits, answered, ...kept } of snapshot.runs) {
      if (!LAB_RUN_ID.test(kept.id) || !Object.hasOwn(EXERCISES, kept.exercise)) continue;
      const run = Object.assign(new LabRun(kept.id, kept.exercise, kept.student, kept.name, kept.startedAt), kept, {
        refused: new Set(refused),
        limits: new Set(limits),
        answered: new Set(answered),
      });
      if (openSockets > 0) run.cuts++;
      this.runs.set(run.id, run);
    }
    for (const { id, tried, passed, ...rest } of snapshot.students) {
      const { handle } = this.newStudent(id, rest.name);
      this.students.set(id, { ...rest, handle, tried: new Set(tried), passed: new Set(passed) });
    }
    this.anonymous = snapshot.anonymous;
  }

  /** The class view's figures: per step, how many students tried and passed; names unless anonymous. */
  progress(): LabProgress {
    const students = [...this.students.values()];
    return {
      anonymous: this.anonymous,
      steps: Object.entries(EXERCISES).map(([exercise, { step }]) => ({
        exercise: exercise as ExerciseId,
        step,
        tried: students.filter((s) => s.tried.has(exercise as ExerciseId)).length,
        passed: students.filter((s) => s.passed.has(exercise as ExerciseId)).length,
      })),
      students: students.map((s) => ({
        handle: s.handle,
        name: this.anonymous ? null : s.name,
        passed: [...s.passed].map((exercise) => EXERCISES[exercise].step).sort(),
      })),
    };
  }
}
