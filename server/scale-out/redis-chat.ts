import { Chat } from "../chat/chat.ts";
import { RedisBroker } from "./redis-broker.ts";
import { closeRedis, connectRedis, type RedisClient } from "./redis-connection.ts";
import { RedisMessageStore } from "./redis-message-store.ts";

/**
 * A chat whose history, ids and fan-out live in Redis (server/chat-factory.ts decides when, and seeds it).
 * Two connections: a subscribed connection can run no other command.
 */
export async function createRedisChat(
  redisUrl: string,
  options: { namespace?: string; log?: (line: string) => void },
): Promise<{ chat: Chat; claimSeed: () => Promise<boolean> }> {
  const commands = await connectRedis(redisUrl);
  const store = new RedisMessageStore(commands, { namespace: options.namespace });
  let subscriber: RedisClient | undefined;
  try {
    subscriber = await connectRedis(redisUrl);
    const broker = await RedisBroker.start(commands, subscriber, store, options);
    return { chat: new Chat(store, broker), claimSeed: () => store.claimSeed() };
  } catch (error) {
    if (subscriber) await closeRedis(subscriber);
    await store.close();
    throw error;
  }
}
