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
