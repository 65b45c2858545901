import type { Chat } from "./chat.ts";
import { MAX_BOT_RATE } from "../../shared/class-protocol.ts";

const LINES = [
  "Kappa",
  "PogChamp",
  "gg",
  "hello chat!",
  "LUL",
  "is this live?",
  "first!",
  "nice play",
  "F",
  "o7",
  "what did I miss?",
  "hi from the back row",
  "can you hear me?",
  "clip it!",
  "W",
  "let's go",
  "monkaS",
  "big if true",
  "no way",
  "5Head",
];

/**
 * When the bot posts: "poisson" at random moments, as people talk (each wait drawn from an exponential
 * distribution with mean 1/rate), so a poller's latency spreads from 0 to its interval; "steady" every 1/rate s.
 */
export type BotArrivals = "poisson" | "steady";

export interface ChatBotOptions {
  arrivals?: BotArrivals;
  /** A number in [0, 1): Math.random by default; tests pass their own. */
  random?: () => number;
  /** Runs `task` after `ms`; returns how to cancel it. setTimeout by default; tests pass their own. */
  schedule?: (task: () => void, ms: number) => () => void;
}

function scheduleTimeout(task: () => void, ms: number): () => void {
  const timer = setTimeout(task, ms);
  // On Node a timer has `unref` (the bot alone must not keep a process alive); Deno's timers are plain numbers.
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}

/**
 * Posts messages at `rate` a second, so an idle chat and a busy one can both be shown. Each line is numbered ("#17
 * gg"), so a class can tell which message arrived where, and no line comes back until every other one has been used.
 */
export class ChatBot {
  private cancel: (() => void) | undefined;
  /** This pass's lines not posted yet, and the last one posted (the next pass must not start with it). */
  private unused: string[] = [];
  private lastLine: string | undefined;
  /** The number of the next line; a new chat starts again at 1. */
  sequence = 1;
  rate = 0;
  /** Posts that failed and were skipped. */
  failures = 0;
  /** Told each rate set by setRate (not by stop() at shutdown): the edge keeps it across a restart. */
  onRate: (rate: number) => void = () => {};
  private readonly arrivals: BotArrivals;
  private readonly random: () => number;
  private readonly schedule: NonNullable<ChatBotOptions["schedule"]>;

  constructor(
    private readonly chat: Chat,
    { arrivals = "poisson", random = Math.random, schedule = scheduleTimeout }: ChatBotOptions = {},
  ) {
    this.arrivals = arrivals;
    this.random = random;
    this.schedule = schedule;
  }

  /** Messages per second (on average, for "poisson"); 0 stops the bot. */
  setRate(rate: number): void {
    if (!Number.isFinite(rate) || rate < 0 || rate > MAX_BOT_RATE) {
      throw new RangeError(`bot rate must be a number from 0 to ${MAX_BOT_RATE} messages per second`);
    }
    this.stop();
    this.rate = rate;
    if (rate > 0) this.next();
    this.onRate(rate);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.rate = 0;
  }

  /** The next line, numbered: a shuffled pass through LINES, never the same line twice in a row. */
  nextText(): string {
    if (this.unused.length === 0) {
      const last = this.lastLine;
      this.unused = shuffle([...LINES], this.random);
      if (this.unused.at(-1) === last) this.unused.unshift(this.unused.pop()!);
    }
    this.lastLine = this.unused.pop();
    return `#${this.sequence++} ${this.lastLine}`;
  }

  /** Waits one gap, posts, and schedules the next: a timer per message, as the gaps differ. */
  private next(): void {
    const mean = 1000 / this.rate;
    const wait = this.arrivals === "steady" ? mean : -Math.log(1 - this.random()) * mean;
    this.cancel = this.schedule(() => {
      // A failed post (Redis briefly down, say) skips one line; the bot goes on, as the room expects.
      this.chat.post({ user: "chatbot", text: this.nextText(), from: "server" }).catch(() => this.failures++);
      this.next();
    }, wait);
  }
}

/** Fisher–Yates, with the bot's random source. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
