/**
 * Every limit the server applies, in one place, named. Tests and docs refer to these names.
 */

/** How many messages the server keeps; older ones are dropped so memory stays flat however long the class runs. */
export const HISTORY_LIMIT = 1000;

/** Largest `POST /messages` body accepted, in bytes. A `{ user, text }` with 500 characters fits easily. */
export const MAX_BODY_BYTES = 4096;

/** Largest WebSocket frame accepted, in bytes (the `ws` server closes bigger ones with 1009). */
export const MAX_FRAME_BYTES = 4096;

/**
 * Idle keep-alive sockets are closed after this long. Node's default (5 s) is shorter than a slow poll interval,
 * which would make every poll open a new TCP connection; 65 s outlives any interval the demo uses.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Highest chat-bot rate, in messages per second, that the page or `--bot` may ask for. */
export const MAX_BOT_RATE = 50;

/** The port of the lesson's slides (`http://localhost:8000`). */
export const DEFAULT_PORT = 8000;

/** Longest a long poll is held before it is answered with `[]` (below common proxy idle timeouts of 30–60 s). */
export const LONG_POLL_TIMEOUT_MS = 25_000;

/** Most long polls held at once; one more is answered 503 so a crowd of waiters cannot exhaust the server. */
export const MAX_HELD_LONG_POLLS = 5000;

/** Most Server-Sent Events streams open at once; one more is answered 503. */
export const MAX_EVENT_STREAMS = 5000;

/** How often an idle event stream gets a comment line, so proxies and NATs do not drop it as dead. */
export const SSE_KEEP_ALIVE_MS = 15_000;

/** How long a browser's EventSource waits before reconnecting (the `retry:` field); browsers default to about 3 s. */
export const SSE_RETRY_MS = 1000;

/**
 * Events queued for one stream that its client has not read yet. Past this the stream is ended: the client
 * reconnects with Last-Event-ID and catches up from the history, so a reader that stalls costs bounded memory.
 */
export const MAX_QUEUED_EVENTS = 1000;
