/**
 * The lab (server/lab/): one run's HTTP requests, all routes together, in a token bucket per run. A polling loop at
 * the lesson's 1000 ms never reaches it; a `while` loop of fetches gets 429 and the lab names this limit.
 */
export const LAB_REQUESTS_PER_SECOND = 5;
export const LAB_REQUEST_BURST = 10;

/** Sockets one lab run may hold open at once: the lesson needs one; a loop opening 500 gets 429 on the upgrade. */
export const LAB_SOCKETS_PER_RUN = 3;

/** Lab runs the server remembers (the oldest is forgotten first), and what each keeps of shown and stored ids. */
export const MAX_LAB_RUNS = 1000;
export const MAX_LAB_RECORDS = 2000;

/** Runs still running that a restart keeps (the newest; server/node/kept-state.ts): a class, with room to spare. */
export const MAX_KEPT_LAB_RUNS = 200;

/** A run's code, kept (the student's last only) for the teacher to show on the projector: the lesson's fit in 2,000. */
export const MAX_LAB_CODE_CHARS = 20_000;
