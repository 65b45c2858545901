import { afterAll, beforeAll, describe } from "vitest";
import {
  findRedisServer,
  INSTALL_REDIS_HINT,
  RedisServer,
  type RedisServerOptions,
} from "../../server/scale-out/redis-process.ts";

const redisServerPath = findRedisServer();

/**
 * `describe` for tests that need a real redis-server: skipped, with the reason in the suite's name, where it is
 * not installed (.ci/run installs it, so CI always runs them).
 */
export function describeWithRedis(name: string, tests: () => void): void {
  if (redisServerPath) describe(name, tests);
  else describe.skip(`${name} (skipped: redis-server not found; ${INSTALL_REDIS_HINT})`, tests);
}

/** A redis-server of this file's own, on a free port in a temp dir: started before its tests, stopped after. */
export function useRedis(options: RedisServerOptions = {}): () => RedisServer {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await RedisServer.start(options);
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return () => {
    if (!redis) throw new Error("redis-server is not running (useRedis() must be called inside describeWithRedis)");
    return redis;
  };
}

let namespaces = 0;
/** A key prefix no other test in the file uses, so tests sharing one Redis do not see each other's chats. */
export function freshNamespace(label = "test"): string {
  return `${label}-${process.pid}-${++namespaces}`;
}
