import { Chat, FIRST_MESSAGE } from "./chat.ts";
import { MessageLog } from "./message-log.ts";
import type { LogFsync } from "../guard/limits.ts";
import { RedisBroker } from "../scale-out/redis-broker.ts";
import { closeRedis, connectRedis, type RedisClient } from "../scale-out/redis-connection.ts";
import { RedisMessageStore } from "../scale-out/redis-message-store.ts";

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
 * One process, one chat in memory, or kept in a log in `dataDir`; or, with a Redis URL, one of several instances
 * sharing the chat. Throws RedisUnreachableError when Redis does not answer at start.
 */
export async function createChat({ redisUrl, dataDir, fsync, namespace, log }: ChatOptions = {}): Promise<Chat> {
  if (!redisUrl && dataDir) return loggedChat(dataDir, fsync);
  if (!redisUrl) return Chat.inMemory();
  // Two connections: a subscribed connection can run no other command.
  const commands = await connectRedis(redisUrl);
  const store = new RedisMessageStore(commands, { namespace });
  let subscriber: RedisClient | undefined;
  let broker: RedisBroker | undefined;
  try {
    subscriber = await connectRedis(redisUrl);
    broker = await RedisBroker.start(commands, subscriber, store, { namespace, log });
    const chat = new Chat(store, broker);
    // Instances started together post the lesson's first message once, not once each.
    if (await store.claimSeed()) await chat.post(FIRST_MESSAGE);
    return chat;
  } catch (error) {
    if (broker) await broker.close();
    else if (subscriber) await closeRedis(subscriber);
    await store.close();
    throw error;
  }
}

/** The history in a log on disk: a restarted server carries on with the same messages and ids. */
async function loggedChat(dataDir: string, fsync?: LogFsync): Promise<Chat> {
  const messageLog = MessageLog.open(dataDir, { fsync });
  const chat = new Chat(messageLog);
  if (messageLog.isEmpty) await chat.post(FIRST_MESSAGE);
  return chat;
}
