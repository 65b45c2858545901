import type { Handler } from "hono";
import type { ClassNumbers } from "../../shared/class-protocol.ts";
import type { ChatBot } from "../chat/chat-bot.ts";
import type { Classroom } from "../class/room-state.ts";

export interface ClassFeedOptions {
  classroom: Classroom;
  bot: ChatBot;
  now: () => number;
  /** This process's CPU time in microseconds, from the edge (the app cannot read it and stay runtime-free). */
  cpuMicros?: () => number;
  /** The LAN URL from the edge (server/node/node-main.ts), the https one for a request over TLS; the page uses its own
   * origin without one. */
  joinUrl?: (secure: boolean) => string | undefined;
  /** The server process's id, from its counts. */
  boot: string;
}

/**
 * `GET /class/numbers`: the class view's numbers, asked for once a second. What it costs is left out of every count:
 * app.ts registers it before the request counting, and it belongs to no transport, so its bytes are not any
 * transport's (server/counting/pane-traffic.ts gives each exchange's bytes to its pane's transport).
 */
export function classFeed({ classroom, bot, now, cpuMicros, joinUrl, boot }: ClassFeedOptions): Handler {
  return (c) => {
    c.header("Cache-Control", "no-store");
    return c.json<ClassNumbers>({
      at: now(),
      boot,
      cpuMicros: cpuMicros?.() ?? null,
      transports: classroom.totals(),
      bot: { rate: bot.rate },
      locked: classroom.locked,
      chatNumber: classroom.chatNumber,
      joinUrl: joinUrl?.(new URL(c.req.url).protocol === "https:") ?? null,
    });
  };
}
