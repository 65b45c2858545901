/**
 * Every limit the server applies, in one place, named. Tests and docs refer to these names.
 */
import { MAX_TEXT_LENGTH, MAX_USER_LENGTH } from "../../shared/protocol.ts";

/** How many messages the server keeps; older ones are dropped so memory stays flat however long the class runs. */
export const HISTORY_LIMIT = 1000;

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
 * Idle keep-alive sockets are closed after this long. Node's default (5 s) is shorter than a slow poll interval,
 * which would make every poll open a new TCP connection; 65 s outlives any interval the demo uses.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Highest chat-bot rate, in messages per second, that the page or `--bot` may ask for. */
export const MAX_BOT_RATE = 50;

/** The port of the lesson's slides (`http://localhost:8000`). */
export const DEFAULT_PORT = 8000;

/** The port of `npm start -- --https` (TLS, HTTP/2 and HTTP/1.1 by ALPN), beside DEFAULT_PORT; `--https-port` changes it. */
export const DEFAULT_HTTPS_PORT = 8443;

/** The demo's self-signed certificate (server/node/tls-certificate.ts) lasts this long, and is made again this early. */
export const CERTIFICATE_VALID_DAYS = 365;
export const CERTIFICATE_RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

/** Env variable with the extra origins (comma-separated) allowed to open `/ws`; the server's own origin always is. */
export const ALLOWED_ORIGINS_ENV = "ALLOWED_ORIGINS";

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

/**
 * A socket whose unsent bytes (`bufferedAmount`) pass this is a client that stopped reading: it is closed with 1013
 * and sent nothing more, so one stalled laptop cannot make the server buffer the whole chat for it.
 */
export const SLOW_CONSUMER_BYTES = 1024 * 1024;

/**
 * The server pings every socket this often and terminates those that did not answer the previous ping;
 * it also sends a `{"type":"heartbeat"}` frame, because a browser cannot see pings (clients/transports/dead-link.ts).
 */
export const HEARTBEAT_INTERVAL_MS = 30_000;

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
 * File descriptors kept free beside the connections (the log, its compaction, Redis, tsx, the client bundle build):
 * the total cap is lowered to the process's `nofile` limit minus this when that is lower than MAX_OPEN_CONNECTIONS.
 */
export const RESERVED_FILE_DESCRIPTORS = 64;

/**
 * The message log (server/chat/message-log.ts) is rewritten with only the last HISTORY_LIMIT messages when it grows past
 * this, so the data directory stays small however long the server runs.
 */
export const MESSAGE_LOG_MAX_BYTES = 2 * 1024 * 1024;

/** A failed compaction (disk full) is tried again once the log has grown this much more, not on every post. */
export const MESSAGE_LOG_COMPACTION_RETRY_BYTES = 256 * 1024;

/**
 * When an appended line is forced to the disk (docs/hardening.md ## Durability), like Redis's `appendfsync`:
 * "never" leaves it to the kernel's writeback (an acknowledged message survives a crash of the process, not
 * always a power loss: the last ~30 s may be lost); "always" fdatasyncs each line before acknowledging it
 * (survives a power loss too). `npm start -- --fsync always|never`.
 */
export type LogFsync = "always" | "never";
export const LOG_FSYNC_MODES: readonly LogFsync[] = ["always", "never"];
/** "never": the cost of "always" is measured by `npm run bench:fsync` (docs/hardening.md ## Durability). */
export const DEFAULT_LOG_FSYNC: LogFsync = "never";

/** Default data directory of `npm start` (git-ignored); `--data <dir>` or DATA_DIR changes it. */
export const DEFAULT_DATA_DIR = "data";

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

/** Redis (REDIS_URL set): how long the first connection may take before the server gives up with a clear error. */
export const REDIS_CONNECT_TIMEOUT_MS = 3000;

/** Redis lost while running: reconnect attempts back off up to this, so a returning Redis is found within it. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 1000;

/** After Redis returns, catching up on missed messages is retried this often until it succeeds. */
export const REDIS_CATCH_UP_RETRY_MS = 250;

/**
 * On shutdown: how long answers just given (held long polls answered `[]`, event streams ended) get to reach their
 * clients, each connection closed as soon as it is idle, before whatever is left is cut.
 */
export const RESPONSE_DRAIN_MS = 1000;

/**
 * Panes whose traffic the server attributes (`?p=`, server/pane-traffic.ts) at once; past this the one seen longest ago
 * is forgotten, so made-up pane ids cannot grow the table without bound. The per-transport totals keep counting.
 */
export const MAX_TRACKED_PANES = 10_000;

/** A pane is a connected client of its transport while it has a request, socket or stream open, and this long after. */
export const PANE_SEEN_MS = 5000;

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
