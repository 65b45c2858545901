/** Limits that keep the chat's history, in memory and on disk, bounded however long the class runs. */

/** How many messages the server keeps; older ones are dropped so memory stays flat however long the class runs. */
export const HISTORY_LIMIT = 1000;

/**
 * The message log (server/chat/message-log.ts) is rewritten with only the last HISTORY_LIMIT messages when it grows past
 * this, so the data directory stays small however long the server runs.
 */
export const MESSAGE_LOG_MAX_BYTES = 2 * 1024 * 1024;

/** A failed compaction (disk full) is tried again once the log has grown this much more, not on every post. */
export const MESSAGE_LOG_COMPACTION_RETRY_BYTES = 256 * 1024;

/**
 * After a compaction the log is compacted again only once it has grown to this many times what was kept (and past
 * MESSAGE_LOG_MAX_BYTES): the last HISTORY_LIMIT messages can be bigger than the limit (1000 of 500 control
 * characters, ~3 MB as JSON), and then every post compacted again (54 ms a post, 425 MB written for 150 posts).
 */
export const MESSAGE_LOG_REGROWTH = 2;
