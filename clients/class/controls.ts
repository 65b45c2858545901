import {
  CLASS_PATHS,
  MAX_BOT_RATE,
  type BotBody,
  type ClassNumbers,
  type LockBody,
} from "../../shared/class-protocol.ts";
import { PRESENT_PARAM } from "../page/presenter/presenter.ts";
import { element } from "../page/ui/dom.ts";
import { Refused, showProblem } from "../page/ui/errors.ts";
import { t, translated } from "../page/ui/i18n.ts";
import { teacherPost } from "../page/presenter/teacher-mode.ts";

/**
 * The teacher's controls: the chat bot and its rate, the lock on students' sending, a new chat, presenter mode.
 * Made only when the server says this browser is the teacher's; the server refuses anyone else's requests anyway.
 */
export function createControls(): { root: HTMLElement; update(numbers: ClassNumbers): void } {
  const root = element("section", "controls");
  const label = (input: HTMLInputElement, key: Parameters<typeof t>[0], ...rest: Node[]) => {
    const wrap = element("label");
    wrap.append(input, " ", translated(element("span"), key), ...rest);
    return wrap;
  };
  const bot = Object.assign(element("input"), { type: "checkbox", id: "class-bot" });
  const rate = Object.assign(element("input"), { type: "number", min: "1", max: String(MAX_BOT_RATE), value: "2" });
  rate.id = "class-bot-rate";
  const lock = Object.assign(element("input"), { type: "checkbox", id: "class-lock" });
  const newChat = translated(element("button", "new-chat"), "class.new-chat");
  newChat.type = "button";
  const present = translated(element("a", "present"), "class.present");
  present.href = `/?${PRESENT_PARAM}`;
  const error = element("p", "error");
  error.setAttribute("role", "alert");

  const act = (action: () => Promise<unknown>) =>
    action().then(
      () => showProblem(error, undefined),
      (failure: unknown) => showProblem(error, failure instanceof Refused ? failure.problem : "network"),
    );
  const setBot = () =>
    act(async () => {
      const body = await teacherPost<BotBody>(CLASS_PATHS.bot, { rate: bot.checked ? Number(rate.value) : 0 });
      bot.checked = body.rate > 0;
    });
  bot.addEventListener("change", setBot);
  rate.addEventListener("change", () => bot.checked && setBot());
  lock.addEventListener("change", () =>
    act(async () => (lock.checked = (await teacherPost<LockBody>(CLASS_PATHS.lock, { locked: lock.checked })).locked)),
  );
  newChat.addEventListener(
    "click",
    () => confirm(t("class.new-chat.confirm")) && act(() => teacherPost(CLASS_PATHS.newChat, {})),
  );

  const rateSpan = element("span");
  rateSpan.append(" ", rate, " ", translated(element("span"), "class.rate"));
  root.setAttribute("aria-label", t("class.controls"));
  root.append(label(bot, "class.bot", rateSpan), label(lock, "class.lock"), newChat, present, error);
  return {
    root,
    update(numbers) {
      // What the server says, unless the teacher is changing it right now.
      if (document.activeElement !== rate && numbers.bot.rate > 0) rate.value = String(numbers.bot.rate);
      bot.checked = numbers.bot.rate > 0;
      lock.checked = numbers.locked;
    },
  };
}
