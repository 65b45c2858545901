/**
 * The server's settings: where it listens, where it keeps the chat, how hard it syncs. Not limits (server/limits/).
 * Nothing here imports the rest of the server, so every part may read it.
 */

/** The port of the lesson's slides (`http://localhost:8000`). */
export const DEFAULT_PORT = 8000;

/** The port of `npm start -- --https` (TLS, HTTP/2 and HTTP/1.1 by ALPN), beside DEFAULT_PORT; `--https-port` changes it. */
export const DEFAULT_HTTPS_PORT = 8443;

/** The demo's self-signed certificate (server/node/https/tls-certificate.ts) lasts this long, and is made again this early. */
export const CERTIFICATE_VALID_DAYS = 365;
export const CERTIFICATE_RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;

/** Env variable with the extra origins (comma-separated) allowed to open `/ws`; the server's own origin always is. */
export const ALLOWED_ORIGINS_ENV = "ALLOWED_ORIGINS";

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
