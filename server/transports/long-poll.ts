import { Hono } from "hono";
import { EPOCH_HEADER, EPOCH_PARAM, type ErrorBody, type Message } from "../../shared/protocol.ts";
import { catchUp } from "../chat/catch-up.ts";
import { Emitter } from "../chat/emitter.ts";
import type { Chat } from "../chat/chat.ts";
import { LONG_POLL_TIMEOUT_MS, MAX_HELD_LONG_POLLS } from "../limits/waiting-limits.ts";
import { parseSince } from "../guard/validation.ts";
import type { WaitingClients } from "./waiting-clients.ts";

export interface LongPollOptions {
  /** How long a poll is held before it is answered `[]`; LONG_POLL_TIMEOUT_MS by default (tests pass less). */
  timeoutMs?: number;
  /** Most polls in progress at once; MAX_HELD_LONG_POLLS by default. */
  maxHeld?: number;
}

/** Answers one held poll with a JSON array, already encoded. */
type Answer = (body: string) => void;

/** An answer: a JSON array of messages, already encoded, and the epoch of the history they belong to. */
export interface LongPollAnswer {
  epoch: string;
  body: string;
}

/**
 * The long polls being held. A new message is encoded once and answers every one of them; the clients then ask
 * again with the new `since`. `close()` (graceful shutdown) answers them all with `[]`, and later polls at once; so
 * does a new history (a Redis that lost its data): the clients ask again with their old epoch and get the new one
 * from its start.
 */
export class LongPolls implements WaitingClients {
  readonly held = new Set<Answer>();
  /** Each poll answered, and whether its answer was empty (`[]`): for whoever counts (server/counting/traffic-counts.ts). */
  readonly events = new Emitter<{ answered: { empty: boolean; request: Request } }>();
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
  }

  /** A new message answers every held poll, encoded once (server/delivery.ts calls this). */
  deliver(message: Message): void {
    if (this.held.size === 0) return;
    const body = JSON.stringify([message]);
    for (const answer of this.held) answer(body);
  }

  /** A new history: every held poll is answered `[]` and asks again with its old epoch. */
  restart(): void {
    this.answerAll();
  }

  /**
   * Messages newer than `since` (in `epoch`'s history: catch-up.ts) as a JSON array: at once if there are any, else
   * when one arrives, else `[]`.
   */
  wait(since: number, epoch?: string, signal?: AbortSignal): Promise<LongPollAnswer> {
    return new Promise<LongPollAnswer>((resolve, reject) => {
      catchUp(this.chat, since, epoch, ({ epoch, messages }) => {
        const body = JSON.stringify(messages);
        if (messages.length > 0 || this.closed || signal?.aborted) return resolve({ epoch, body });
        const answer: Answer = (body) => {
          this.held.delete(answer);
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve({ epoch, body });
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
    this.answerAll();
  }

  private answerAll(): void {
    for (const answer of this.held) answer("[]");
  }
}

/** `GET /messages/wait?since=<id>`: the poll that waits on the server instead of asking again and again. */
export function longPollRoutes(polls: LongPolls): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const since = parseSince(c.req.query("since"), c.req.query(EPOCH_PARAM));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error, code: "bad-request" }, 400);
    if (polls.inProgress >= polls.maxHeld) {
      c.header("Retry-After", "1");
      return c.json<ErrorBody>(
        {
          error: `the server holds ${polls.maxHeld} long polls already; retry shortly`,
          code: "server-busy",
        },
        503,
      );
    }
    polls.inProgress++;
    try {
      const { epoch, body } = await polls.wait(since.since, since.epoch, c.req.raw.signal);
      polls.events.emit("answered", { empty: body === "[]", request: c.req.raw });
      c.header("Cache-Control", "no-store");
      return c.body(body, 200, { "Content-Type": "application/json", [EPOCH_HEADER]: epoch });
    } finally {
      polls.inProgress--;
    }
  });

  return routes;
}
