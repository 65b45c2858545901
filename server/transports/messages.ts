import { Hono, type Context, type MiddlewareHandler } from "hono";
import { EPOCH_HEADER, EPOCH_PARAM, PATHS, type ErrorBody } from "../../shared/protocol.ts";
import { markSender } from "../guard/teacher-rule.ts";
import type { Chat } from "../chat/chat.ts";
import { messagesTag, noneMatch } from "./etag.ts";
import { bodyLimitByLength } from "../guard/body-limit.ts";
import { requireJson } from "../guard/content-type.ts";
import { MAX_BODY_BYTES } from "../limits/input-limits.ts";
import { parseNewMessage, parseSince } from "../guard/validation.ts";

/** What a POST must pass before its body is read, in this order (app.ts builds them). */
export interface PostGuards {
  origin: MiddlewareHandler;
  lock: MiddlewareHandler;
  rate: MiddlewareHandler;
  /** The teacher's rule (guard/teacher-rule.ts): the teacher's posts are marked `from: "teacher"` by the server. */
  isTeacher: (c: Context) => boolean;
}

/**
 * `GET /messages[?since=id]` for pollers (with an ETag: `If-None-Match` gets 304 and no body when nothing changed),
 * `POST /messages` for anyone who wants to talk: the only place it is registered. `postGuards` (app.ts: the origin,
 * the teacher's lock, the rate limit) run first, then the body limit and the content type, then the post.
 */
export function messageRoutes(chat: Chat, postGuards: PostGuards): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const since = parseSince(c.req.query("since"), c.req.query(EPOCH_PARAM));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error, code: "bad-request" }, 400);
    const page = await chat.history(since.since, since.epoch);
    const tag = messagesTag(page);
    c.header("ETag", tag);
    c.header(EPOCH_HEADER, page.epoch);
    // The browser must not revalidate on its own: plain polling stays plain; conditional polling sends If-None-Match itself.
    c.header("Cache-Control", "no-store");
    return noneMatch(c.req.header("If-None-Match"), tag) ? c.json(page.messages) : c.body(null, 304);
  });

  routes.post(
    "/",
    postGuards.origin,
    postGuards.lock,
    postGuards.rate,
    // hono/body-limit, deciding by Content-Length when there is one (guard/body-limit.ts: measured there).
    bodyLimitByLength(MAX_BODY_BYTES, (c) =>
      c.json<ErrorBody>({ error: `body must be at most ${MAX_BODY_BYTES} bytes`, code: "too-large" }, 413),
    ),
    requireJson(),
    async (c) => {
      const parsed = parseNewMessage(await c.req.text());
      if (!parsed.ok) return c.json<ErrorBody>({ error: parsed.error, code: parsed.code }, parsed.status);
      const message = await chat.post(markSender(parsed.message, postGuards.isTeacher(c)));
      return c.json(message, 201, { [EPOCH_HEADER]: chat.epochOf(message) });
    },
  );

  routes.all("/", (c) =>
    c.json<ErrorBody>({ error: `${c.req.method} is not allowed on ${PATHS.messages}`, code: "bad-request" }, 405),
  );
  return routes;
}
