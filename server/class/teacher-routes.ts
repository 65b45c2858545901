import { Hono, type Context } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import { CLASS_PATHS, type BotBody, type LockBody, type TeacherBody } from "../../shared/class-protocol.ts";
import type { ChatBot } from "../chat/chat-bot.ts";
import { teacherOnly } from "../guard/teacher-rule.ts";
import type { Classroom } from "./room-state.ts";

/**
 * The teacher's controls, each refused (403 JSON, nothing changed) to anyone else: the chat bot's rate, a new chat,
 * and the lock on students' sending. Origin and content type are checked before (app.ts, for every POST).
 */
export function teacherRoutes(bot: ChatBot, classroom: Classroom, isTeacher: (c: Context) => boolean): Hono {
  const routes = new Hono();
  routes.get(CLASS_PATHS.teacher, (c) => c.json<TeacherBody>({ teacher: isTeacher(c) }));
  routes.get(CLASS_PATHS.bot, (c) => c.json<BotBody>({ rate: bot.rate }));

  for (const path of [CLASS_PATHS.bot, CLASS_PATHS.lock, CLASS_PATHS.newChat])
    routes.post(path, teacherOnly(isTeacher));
  routes.post(CLASS_PATHS.bot, async (c) => {
    const body = (await c.req.json().catch(() => null)) as { rate?: unknown } | null;
    try {
      bot.setRate(typeof body?.rate === "number" ? body.rate : NaN);
    } catch (error) {
      return c.json<ErrorBody>({ error: (error as Error).message, code: "bad-request" }, 400);
    }
    return c.json<BotBody>({ rate: bot.rate });
  });
  routes.post(CLASS_PATHS.lock, async (c) => {
    const body = (await c.req.json().catch(() => null)) as { locked?: unknown } | null;
    if (typeof body?.locked !== "boolean")
      return c.json<ErrorBody>({ error: 'send { "locked": true or false }', code: "bad-request" }, 400);
    classroom.locked = body.locked;
    return c.json<LockBody>({ locked: classroom.locked });
  });
  routes.post(CLASS_PATHS.newChat, async (c) => {
    await classroom.newChat();
    return c.json({ chatNumber: classroom.chatNumber });
  });
  return routes;
}
