import type { createClient } from "@redis/client";
import { BrokerUnavailableError } from "../chat/broker.ts";
import { REDIS_CONNECT_TIMEOUT_MS, REDIS_MAX_RECONNECT_DELAY_MS } from "../limits/redis-limits.ts";

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The client library, loaded with the first connection: most servers run without Redis, and loading it took about
 * a fifth of every server's start-up (measured: 0.5 s of 2.5 s at load 11), which each test and bench run paid.
 */
let redis: typeof import("@redis/client") | undefined;

/** Redis did not answer when the server started: a message for a person, not a stack trace. */
export class RedisUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(
      `cannot reach Redis at ${redact(url)} (${reason}).\n` +
        "  Start it (redis-server, or `npm run start:cluster`, which starts one), or unset REDIS_URL to run one instance in memory.",
      { cause },
    );
    this.name = "RedisUnreachableError";
  }
}

/**
 * One connection to Redis. At start it is tried once, and failing is an error the caller reports; once it has
 * worked, a lost connection is retried for ever with a short backoff, and subscriptions are renewed by the client.
 * Commands sent while it is down fail at once (no offline queue), so a POST is refused instead of hanging.
 */
export async function connectRedis(url: string): Promise<RedisClient> {
  let connected = false;
  let client: RedisClient;
  redis ??= await import("@redis/client");
  try {
    client = redis.createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries) => connected && Math.min(REDIS_MAX_RECONNECT_DELAY_MS, 50 * 2 ** retries),
      },
    });
  } catch (error) {
    throw new RedisUnreachableError(url, error);
  }
  // Every failed reconnect emits "error"; the broker reports the outage once, and an unheard "error" would crash.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new RedisUnreachableError(url, error);
  }
  connected = true;
  return client;
}

/** Runs Redis commands; a connection that is down becomes BrokerUnavailableError (503); an error Redis answered stays. */
export async function command<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw redis && error instanceof redis.ErrorReply ? error : new BrokerUnavailableError(error);
  }
}

/** Closes politely when connected; a client still trying to reconnect is stopped at once. */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.isReady) await client.close();
  else if (client.isOpen) client.destroy();
}

/** A URL for logs: the password, if any, is not printed. */
function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
