/** Limits on TCP connections and on shutting down: what one process holds open, and for how long. */

/**
 * Idle keep-alive sockets are closed after this long. Node's default (5 s) is shorter than a slow poll interval,
 * which would make every poll open a new TCP connection; 65 s outlives any interval the demo uses.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** On SIGINT/SIGTERM: how long sockets get to answer close 1001 before they are cut. */
export const SOCKET_CLOSE_GRACE_MS = 1000;

/** On SIGINT/SIGTERM: the process exits by this deadline even if something still holds on. */
export const SHUTDOWN_DEADLINE_MS = 5000;

/**
 * Largest request head (request line + headers) accepted, in bytes on the wire; bigger ones get 431. Node's own
 * `maxHeaderSize` skips the blanks around header values, so server/node/connection-guard.ts counts the bytes too.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Open TCP connections the server accepts at once, and from one address. Past either the connection is closed as
 * soon as it is accepted (server/node/connection-guard.ts), so idle sockets cannot use up the file descriptors that
 * answering everyone else needs. Per address it is high because a classroom behind one NAT, and the bench on
 * loopback (1000 pollers + 1000 sockets), come from a single address.
 */
export const MAX_OPEN_CONNECTIONS = 10_000;
export const MAX_CONNECTIONS_PER_ADDRESS = 4000;

/**
 * Long polls and event streams one address may hold at once over HTTP/2 (the TLS port), where they are streams of
 * a few connections rather than a connection each: past it `503` JSON, so one client cannot take the room's
 * MAX_HELD_LONG_POLLS and MAX_EVENT_STREAMS (before: 5,000 long polls from one h2 connection, then another client's
 * `/messages/wait` and `/events` got 503). A class behind one NAT address (30 phones, a long poll and a stream each)
 * is far below it.
 */
export const MAX_H2_HOLDS_PER_ADDRESS = 500;

/**
 * File descriptors kept free beside the connections (the log, its compaction, Redis, tsx, the client bundle build):
 * the total cap is lowered to the process's `nofile` limit minus this when that is lower than MAX_OPEN_CONNECTIONS.
 */
export const RESERVED_FILE_DESCRIPTORS = 64;

/**
 * On shutdown: how long answers just given (held long polls answered `[]`, event streams ended) get to reach their
 * clients, each connection closed as soon as it is idle, before whatever is left is cut.
 */
export const RESPONSE_DRAIN_MS = 1000;

/**
 * Streams one HTTP/2 connection may have open at once, advertised in SETTINGS_MAX_CONCURRENT_STREAMS (Node's default
 * is 2^32 - 1: one connection opened 5,000 long polls and took every hold). Browsers open at most 100 or so.
 */
export const MAX_STREAMS_PER_CONNECTION = 100;

/**
 * The machine's interface addresses, served as hosts (server/node/served-hosts.ts), are looked up again at most this
 * often, when a request names a host not among them: a laptop that joins another network keeps serving its room.
 */
export const SERVED_ADDRESSES_REFRESH_MS = 1000;
