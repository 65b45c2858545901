import { Hono } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import { catchUp } from "../chat/catch-up.ts";
import { Emitter } from "../chat/emitter.ts";
import type { Chat } from "../chat/chat.ts";
import { LONG_POLL_TIMEOUT_MS, MAX_HELD_LONG_POLLS } from "../guard/limits.ts";
import { parseSince } from "../guard/validation.ts";

export interface LongPollOptions {
  /** How long a poll is held before it is answered `[]`; LONG_POLL_TIMEOUT_MS by default (tests pass less). */
  timeoutMs?: number;
  /** Most polls in progress at once; MAX_HELD_LONG_POLLS by default. */
  maxHeld?: number;
}

/** Answers one held poll with a JSON array, already encoded. */
type Answer = (body: string) => void;

/**
 * The long polls being held. A new message is encoded once and answers every one of them; the clients then ask
 * again with the new `since`. `close()` (graceful shutdown) answers them all with `[]`, and later polls at once.
 */
export class LongPolls {
  readonly held = new Set<Answer>();
  /** Each poll answered, and whether its answer was empty (`[]`): for whoever counts (server/traffic-counts.ts). */
  readonly events = new Emitter<{ answered: { empty: boolean } }>();
  /** Polls in progress: reading the history or held. The limit counts these. */
  inProgress = 0;
  readonly timeoutMs: number;
  readonly maxHeld: number;
  private closed = false;

  constructor(
    readonly chat: Chat,
    options: LongPollOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? LONG_POLL_TIMEOUT_MS;
    this.maxHeld = options.maxHeld ?? MAX_HELD_LONG_POLLS;
    chat.subscribe((message) => {
      if (this.held.size === 0) return;
      const body = JSON.stringify([message]);
      for (const answer of this.held) answer(body);
    });
  }

  /** Messages newer than `since` as a JSON array: at once if there are any, else when one arrives, else `[]`. */
  wait(since: number, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      catchUp(this.chat, since, (missed) => {
        if (missed.length > 0 || this.closed || signal?.aborted) return resolve(JSON.stringify(missed));
        const answer: Answer = (body) => {
          this.held.delete(answer);
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(body);
        };
        const onAbort = () => answer("[]"); // the client left: free its slot now, not at the timeout
        const timer = setTimeout(() => answer("[]"), this.timeoutMs);
        signal?.addEventListener("abort", onAbort);
        this.held.add(answer);
      }).catch(reject);
    });
  }

  close(): void {
    this.closed = true;
    for (const answer of this.held) answer("[]");
  }
}

/** `GET /messages/wait?since=<id>`: the poll that waits on the server instead of asking again and again. */
export function longPollRoutes(polls: LongPolls): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const since = parseSince(c.req.query("since"));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error }, 400);
    if (polls.inProgress >= polls.maxHeld) {
      c.header("Retry-After", "1");
      return c.json<ErrorBody>({ error: `the server holds ${polls.maxHeld} long polls already; retry shortly` }, 503);
    }
    polls.inProgress++;
    try {
      const body = await polls.wait(since.since, c.req.raw.signal);
      polls.events.emit("answered", { empty: body === "[]" });
      c.header("Cache-Control", "no-store");
      return c.body(body, 200, { "Content-Type": "application/json" });
    } finally {
      polls.inProgress--;
    }
  });

  return routes;
}
