/**
 * `npm run bench -- --instances N`: N server processes sharing one chat through a redis-server of the bench's own,
 * measured as one server (their counters added up), with clients spread over them. Also the broker's own cost:
 * the time from `publish` on the instance that stored a message to each instance's listeners having it.
 */
import { randomBytes } from "node:crypto";
import { RedisServer } from "../../server/scale-out/redis-process.ts";
import { ServerProcess } from "./server-process.ts";
import type { ServerReport } from "../core/records.ts";

/** Adds reports up: numbers summed, arrays joined, nested records merged the same way. */
export function mergeReports<T>(reports: T[]): T {
  const merge = (values: unknown[]): unknown => {
    const [first] = values;
    if (typeof first === "number") return values.reduce<number>((sum, value) => sum + (value as number), 0);
    if (Array.isArray(first)) return values.flatMap((value) => value as unknown[]);
    if (first && typeof first === "object") {
      const keys = new Set(values.flatMap((value) => Object.keys(value as object)));
      return Object.fromEntries(
        [...keys].map((key) => [
          key,
          merge(values.map((value) => (value as Record<string, unknown>)[key]).filter((v) => v !== undefined)),
        ]),
      );
    }
    return first;
  };
  return merge(reports) as T;
}

/** Several instances and their Redis, with the interface of one ServerProcess. */
export class ServerCluster {
  private constructor(
    private readonly redis: RedisServer,
    readonly instances: ServerProcess[],
  ) {}

  static async start(count: number): Promise<ServerCluster> {
    const redis = await RedisServer.start();
    const instances: ServerProcess[] = [];
    try {
      const env = { REDIS_URL: redis.url, BENCH_NAMESPACE: `bench-${randomBytes(4).toString("hex")}` };
      for (let i = 0; i < count; i++) instances.push(await ServerProcess.start({ env }));
    } catch (error) {
      await Promise.all(instances.map((instance) => instance.stop()));
      await redis.stop();
      throw error;
    }
    return new ServerCluster(redis, instances);
  }

  /** The first instance: where the publisher posts and calibration polls. */
  get url(): string {
    return this.instances[0]!.url;
  }

  get urls(): string[] {
    return this.instances.map((instance) => instance.url);
  }

  async snapshot(): Promise<ServerReport> {
    return mergeReports(await Promise.all(this.instances.map((instance) => instance.snapshot())));
  }

  async stop(): Promise<ServerReport | undefined> {
    const reports = await Promise.all(this.instances.map((instance) => instance.stop()));
    await this.redis.stop();
    return reports.every(Boolean) ? mergeReports(reports as ServerReport[]) : undefined;
  }
}
