import type { PaneTotalsBody } from "../../../shared/protocol.ts";
import { element } from "../ui/dom.ts";
import { translated } from "../ui/i18n.ts";

/** How long a new chat's note stays on a pane (ms): long enough for the class to read it. */
const NEW_CHAT_NOTE_MS = 8000;

export interface PaneRoom {
  /** The new chat's note (above the messages) and the lock's note (above the send box). */
  notice: HTMLElement;
  lockNote: HTMLElement;
  /** One reading of the pane's totals, which carries the room's state (server/routes/status-routes.ts). */
  onReading(totals: PaneTotalsBody): void;
}

/**
 * The teacher's controls as a pane shows them: a new chat takes the old chat's messages off the pane and starts its
 * counters again, with a note that stays a few seconds; a lock on sending shows before a student types, in their
 * language, and disables the box (the teacher's own box stays open).
 */
export function createPaneRoom(
  actions: { newChat(totals: PaneTotalsBody): void; lock(refused: boolean): void },
  isTeacher: () => boolean,
): PaneRoom {
  const notice = element("p", "notice");
  notice.setAttribute("role", "status");
  notice.hidden = true;
  const lockNote = translated(element("p", "locked"), "class.locked");
  lockNote.hidden = true;
  let previous: PaneTotalsBody | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    notice,
    lockNote,
    onReading(totals) {
      const sameServer = previous?.boot === totals.boot; // a restart starts the chat numbers again
      if (sameServer && previous?.room && totals.room && totals.room.chatNumber !== previous.room.chatNumber) {
        actions.newChat(totals);
        translated(notice, "pane.new-chat");
        notice.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(() => (notice.hidden = true), NEW_CHAT_NOTE_MS);
      }
      previous = totals;
      const locked = totals.room?.locked ?? false;
      lockNote.hidden = !locked;
      actions.lock(locked && !isTeacher());
    },
  };
}
