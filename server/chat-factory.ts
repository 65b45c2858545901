import { Chat, FIRST_MESSAGE } from "./chat/chat.ts";
import { MessageLog } from "./chat/message-log.ts";
import type { LogFsync } from "./config.ts";

export interface ChatOptions {
  /** `redis://host:port`: history, ids and new-message fan-out live in Redis, shared by every instance. */
  redisUrl?: string;
  /** Without Redis: the directory whose message log keeps the history across restarts (else memory only). */
  dataDir?: string;
  /** With `dataDir`: whether each append is fsynced before it is acknowledged (DEFAULT_LOG_FSYNC by default). */
  fsync?: LogFsync;
  /** Prefix of the Redis keys and channel (default "chat"); tests give each chat its own. */
  namespace?: string;
  log?: (line: string) => void;
}

/**
 * The one place that decides which chat to build: in memory (neither option), kept in a log file (`dataDir`), or one
 * of several instances sharing it through Redis (`redisUrl`, which wins). A new chat starts with the lesson's first
 * message. Throws RedisUnreachableError when Redis does not answer at start, MessageLogError when the log is unusable.
 */
export async function createChat({ redisUrl, dataDir, fsync, namespace, log }: ChatOptions = {}): Promise<Chat> {
  if (redisUrl) {
    // Loaded only when asked for: a chat without Redis (Deno's entry, say) never loads the Redis client.
    const { createRedisChat } = await import("./scale-out/redis-chat.ts");
    const { chat, claimSeed } = await createRedisChat(redisUrl, { namespace, log });
    return seed(chat, claimSeed);
  }
  if (dataDir) {
    const store = MessageLog.open(dataDir, { fsync });
    return seed(new Chat(store), async () => store.isEmpty);
  }
  return seed(new Chat(), async () => true);
}

/** Posts FIRST_MESSAGE if `isNew()`; with Redis, instances started together post it once, not once each. */
async function seed(chat: Chat, isNew: () => Promise<boolean>): Promise<Chat> {
  try {
    if (await isNew()) await chat.post(FIRST_MESSAGE);
  } catch (error) {
    await chat.close();
    throw error;
  }
  return chat;
}
