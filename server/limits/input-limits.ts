/** Limits on what a client may send: the size of a message, and how fast. */
import { MAX_TEXT_LENGTH, MAX_USER_LENGTH } from "../../shared/protocol.ts";

/**
 * Bytes of `{"user":…,"text":…}` besides the two strings: keys, quotes, braces, and whitespace a client's JSON
 * encoder may add (pretty-printing, a trailing newline).
 */
const JSON_ENVELOPE_BYTES = 256;

/**
 * Largest `POST /messages` body accepted, in bytes: the longest legal message in its worst legal encoding. Text is
 * counted in code points, each at most 12 bytes in JSON (an emoji escaped as `\ud83d\ude00`, as Python's
 * `json.dumps` sends it); the user name in UTF-16 units, each at most 6 bytes (`\u00e9`). 500 + 32: 6,448 bytes.
 */
export const MAX_BODY_BYTES = MAX_TEXT_LENGTH * 12 + MAX_USER_LENGTH * 6 + JSON_ENVELOPE_BYTES;

/** Largest WebSocket frame accepted, in bytes (the `ws` server closes bigger ones with 1009): the same message. */
export const MAX_FRAME_BYTES = MAX_BODY_BYTES;

/**
 * `POST /messages` per client address: a token bucket of POST_BURST that refills at POST_RATE_PER_SECOND.
 * A person typing never reaches it; a script in a loop does, and gets 429 with Retry-After.
 */
export const POST_RATE_PER_SECOND = 10;
export const POST_BURST = 20;

/** Client addresses the POST limiter remembers at once, so a flood of addresses cannot grow it without bound. */
export const MAX_RATE_LIMITED_CLIENTS = 10_000;

/** Chat frames per WebSocket: the same kind of bucket; over it the socket gets an error frame and close 1008. */
export const SOCKET_MESSAGES_PER_SECOND = 10;
export const SOCKET_MESSAGE_BURST = 20;
