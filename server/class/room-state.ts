import type { Context, MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import type { TransportTotals } from "../../shared/class-protocol.ts";
import { TRANSPORT_IDS, type TransportId } from "../../shared/transports.ts";
import type { Chat } from "../chat/chat.ts";
import type { ChatBot } from "../chat/chat-bot.ts";

/** Said to a student who posts while sending is locked (403 on POST /messages, an error frame on /ws). */
export const LOCKED_ERROR = "sending is locked by the teacher";

/**
 * What the teacher's controls change for the whole room: whether students may send, and which chat this is. A new
 * chat starts the counters the class view shows from zero (by a baseline: the sources stay monotonic, as /stats
 * and the bench need them) and the bot's numbering from #1.
 */
export class Classroom {
  locked = false;
  /** Goes up with each new chat, so the class view knows to clear its charts. */
  chatNumber = 0;
  /** The id of the current chat's first message (0 until a new chat). */
  chatFirstId = 0;
  private baseline: Record<TransportId, TransportTotals> | undefined;

  constructor(
    private readonly chat: Chat,
    private readonly bot: ChatBot,
    private readonly source: () => Record<TransportId, TransportTotals>,
  ) {}

  /** Why a post is refused now (undefined: it is not): only while locked, and never the teacher's. */
  refusal(isTeacher: boolean): string | undefined {
    return this.locked && !isTeacher ? LOCKED_ERROR : undefined;
  }

  async newChat(): Promise<void> {
    this.chatFirstId = (await this.chat.restart()).id;
    this.baseline = this.source();
    this.bot.sequence = 1;
    this.chatNumber++;
  }

  /** Each transport's totals since the last new chat; `clients` is a count now, never offset. */
  totals(): Record<TransportId, TransportTotals> {
    const now = structuredClone(this.source()); // the source's own objects stay as they are
    if (!this.baseline) return now;
    for (const id of TRANSPORT_IDS) {
      const before = this.baseline[id];
      const totals = now[id];
      totals.requests -= before.requests;
      totals.emptyAnswers -= before.emptyAnswers;
      totals.bytesIn -= before.bytesIn;
      totals.bytesOut -= before.bytesOut;
    }
    return now;
  }
}

/** POST /messages while locked: 403 JSON for a student, before anything is stored; the teacher passes. */
export function refuseWhileLocked(classroom: Classroom, isTeacher: (c: Context) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const refusal = classroom.refusal(isTeacher(c));
    return refusal ? c.json<ErrorBody>({ error: refusal, code: "locked" }, 403) : next();
  };
}
