import type { Context, MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import { MAX_RATE_LIMITED_CLIENTS } from "../limits/input-limits.ts";

export interface RateLimit {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Bucket size: how many may come at once. */
  burst: number;
}

/** A token bucket: `take()` spends one token if there is one; tokens come back at `perSecond`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.updatedAt = now();
  }

  /** True if allowed (a token was spent); false if over the limit. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next token, rounded up (for `Retry-After`); 0 when one is available. */
  retryAfterSeconds(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.limit.perSecond);
  }

  /** A full bucket is the same as a fresh one, so it can be forgotten. */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.limit.burst;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.limit.perSecond);
    this.updatedAt = now;
  }
}

/** One bucket per key (a client address), remembering at most `maxKeys`: full buckets are forgotten first. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = MAX_RATE_LIMITED_CLIENTS,
  ) {}

  /** 0 if allowed, else the seconds to wait. */
  take(key: string): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forget();
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take() ? 0 : Math.max(1, bucket.retryAfterSeconds());
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Forgets full buckets; if most are busy, the oldest (a Map iterates in insertion order) down to 90 %, so a sweep is rare. */
  private forget(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys * 0.9) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * Middleware: over the limit → 429 with `Retry-After` (seconds) and a JSON error. `clientAddress` is the runtime
 * edge's to give (the TCP peer's address; server/node/node-server.ts).
 */
export function rateLimitByAddress(
  limiter: KeyedRateLimiter,
  clientAddress: (c: Context) => string,
): MiddlewareHandler {
  return async (c, next) => {
    const wait = limiter.take(clientAddress(c));
    if (wait === 0) return next();
    return c.json<ErrorBody>({ error: `too many messages; try again in ${wait} s`, code: "rate-limited" }, 429, {
      "retry-after": String(wait),
    });
  };
}
