/** Limits on clients that wait for messages: held long polls, event streams, and sockets. */

/**
 * A socket whose unsent bytes (`bufferedAmount`) pass this is a client that stopped reading: it is closed with 1013
 * and sent nothing more, so one stalled laptop cannot make the server buffer the whole chat for it.
 */
export const SLOW_CONSUMER_BYTES = 1024 * 1024;

/**
 * The server pings every socket this often and terminates those that did not answer the previous ping;
 * it also sends a `{"heartbeat":true}` frame, because a browser cannot see pings (clients/transports/dead-link.ts).
 */
export const HEARTBEAT_INTERVAL_MS = 30_000;

/** Longest a long poll is held before it is answered with `[]` (below common proxy idle timeouts of 30–60 s). */
export const LONG_POLL_TIMEOUT_MS = 25_000;

/** Most long polls held at once; one more is answered 503 so a crowd of waiters cannot exhaust the server. */
export const MAX_HELD_LONG_POLLS = 5000;

/** Most Server-Sent Events streams open at once; one more is answered 503. */
export const MAX_EVENT_STREAMS = 5000;

/** How often an idle event stream gets a comment line, so proxies and NATs do not drop it as dead. */
export const SSE_KEEP_ALIVE_MS = 15_000;

/**
 * How long a browser's EventSource waits before reconnecting (the `retry:` field), on average: each stream gets its own,
 * ± 50 % (server/transports/retry-hint.ts), so streams broken together do not return together. Browsers default to ~3 s.
 */
export const SSE_RETRY_MS = 1000;

/**
 * Events queued for one stream that its client has not read yet. Past this the stream is ended: the client
 * reconnects with Last-Event-ID and catches up from the history, so a reader that stalls costs bounded memory.
 */
export const MAX_QUEUED_EVENTS = 1000;
