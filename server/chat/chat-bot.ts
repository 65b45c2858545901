import type { Chat } from "./chat.ts";
import { MAX_BOT_RATE } from "../guard/limits.ts";

const LINES = ["Kappa", "PogChamp", "gg", "hello chat!", "LUL", "is this live?", "first!", "nice play", "F", "o7"];

/** Posts messages at a steady rate, so an idle chat and a busy one can both be shown. */
export class ChatBot {
  private timer: ReturnType<typeof setInterval> | undefined;
  private count = 0;
  rate = 0;
  /** Posts that failed and were skipped. */
  failures = 0;

  constructor(private readonly chat: Chat) {}

  /** Messages per second; 0 stops the bot. */
  setRate(rate: number): void {
    if (!Number.isFinite(rate) || rate < 0 || rate > MAX_BOT_RATE) {
      throw new RangeError(`bot rate must be a number from 0 to ${MAX_BOT_RATE} messages per second`);
    }
    this.stop();
    this.rate = rate;
    if (rate === 0) return;
    this.timer = setInterval(() => {
      const text = LINES[this.count++ % LINES.length]!;
      // A failed post (Redis briefly down, say) skips one line; the bot goes on, as the room expects.
      this.chat.post({ user: "chatbot", text }).catch(() => this.failures++);
    }, 1000 / rate);
    // On Node a timer has `unref` (the bot alone must not keep a process alive); Deno's timers are plain numbers.
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.rate = 0;
  }
}
