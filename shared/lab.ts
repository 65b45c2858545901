import type { TransportId } from "./transports.ts";

/**
 * The lab (/lab): students write the lesson's code and the server judges what it did on the wire. Paths and bodies
 * shared by the server (server/lab/) and the pages (clients/lab/, the class view's progress).
 */
export const LAB_PATHS = {
  /** The lab's page. */
  page: "/lab",
  /** `POST { exercise, student, name }` → `{ id }`: a run starts; its traffic carries `?p=<id>.<transport>`. */
  runs: "/lab/runs",
  /** `POST /lab/runs/<id>/report { shown, stopped? }` → LabReport: what `show()` received in, the verdict out. */
  report: "/lab/runs/:id/report",
  /** `GET` → LabProgress: how many students passed each step (the class view). */
  progress: "/lab/progress",
  /** Teacher only: `POST { anonymous: boolean }`: the class view shows names, or none. */
  anonymous: "/lab/anonymous",
  /** Teacher only: `GET` → LabShownCode: one student's last code and its verdict, for the projector (`/lab?show=`). */
  student: "/lab/students/:handle",
} as const;

/** The exercises, in the lesson's order, and the transport their traffic is counted as (the panes' `?p=`). */
export const EXERCISES = {
  "fetch-once": { step: 1, transport: "naive" },
  polling: { step: 2, transport: "polling" },
  connect: { step: 3, transport: "socket" },
  restart: { step: 4, transport: "socket" },
} as const satisfies Record<string, { step: number; transport: TransportId }>;
export type ExerciseId = keyof typeof EXERCISES;
export const EXERCISE_IDS = Object.keys(EXERCISES) as ExerciseId[];

/** A run id: "lab" and random characters, a valid pane id (server/pane-traffic.ts), so the run is counted as a pane. */
export const LAB_RUN_ID = /^lab[0-9a-z]{8,13}$/;

/** One thing `show()` was given: the message id (null if it was not a message) and when (server clock, ms). */
export interface Shown {
  id: number | null;
  at: number;
}

/** One criterion of an exercise's checklist: met or not, and the measured figures its sentence is made from. */
export interface Criterion {
  key: string;
  ok: boolean;
  figures: Record<string, number | string>;
  /** A figure shown beside the checklist, not something to pass (e.g. "3 new messages never appeared"). */
  info?: boolean;
}

/** What the server saw of one run, read at its sockets and routes (server/lab/lab-runs.ts). */
export interface WireFigures {
  seconds: number;
  requests: number;
  /** GET /messages only. */
  polls: number;
  withSince: number;
  emptyAnswers: number;
  /** Median and smallest gap between two polls, ms (null under two polls). */
  spacingMs: number | null;
  minSpacingMs: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  upgrades: number;
  /** Open now; for a stopped run, open when it was stopped. */
  openSockets: number;
  maxOpenSockets: number;
  framesIn: number;
  /** Answers by status, e.g. { "200": 9, "403": 4 }. */
  statuses: Record<string, number>;
  /** Paths refused (status >= 400) with their status: "POST /class/lock 403". */
  refused: string[];
  /** Which limits this run hit, by their names in server/limits/. */
  limits: string[];
}

export interface LabReport {
  id: string;
  exercise: ExerciseId;
  wire: WireFigures;
  checks: Criterion[];
  passed: boolean;
}

export interface LabProgress {
  anonymous: boolean;
  /** Per step (1–4): how many students tried it and how many passed. */
  steps: { exercise: ExerciseId; step: number; tried: number; passed: number }[];
  /**
   * Each student and the steps passed; names are null when anonymous. `handle` names the student to the teacher's
   * routes only (it is not the student's own id, which their lab page keeps to itself).
   */
  students: { handle: string; name: string | null; passed: number[] }[];
}

/** A student's last run as the teacher shows it on the projector: the code, and the server's verdict of it. */
export interface LabShownCode {
  /** Null when the class view is anonymous. */
  name: string | null;
  exercise: ExerciseId;
  code: string;
  report: LabReport | null;
}
