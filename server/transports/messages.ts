import { Hono } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import type { Chat } from "../chat/chat.ts";
import { messagesTag, noneMatch } from "./etag.ts";
import { bodyLimitByLength } from "../guard/body-limit.ts";
import { MAX_BODY_BYTES } from "../guard/limits.ts";
import { parseNewMessage, parseSince } from "../guard/validation.ts";

/**
 * `GET /messages[?since=id]` for pollers (with an ETag: `If-None-Match` gets 304 and no body when nothing changed),
 * `POST /messages` for anyone who wants to talk.
 */
export function messageRoutes(chat: Chat): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const since = parseSince(c.req.query("since"));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error }, 400);
    const messages = await chat.since(since.since);
    const tag = messagesTag(since.since, messages);
    c.header("ETag", tag);
    // The browser must not revalidate on its own: plain polling stays plain; conditional polling sends If-None-Match itself.
    c.header("Cache-Control", "no-store");
    return noneMatch(c.req.header("If-None-Match"), tag) ? c.json(messages) : c.body(null, 304);
  });

  routes.post(
    "/",
    // hono/body-limit, deciding by Content-Length when there is one (guard/body-limit.ts: measured there).
    bodyLimitByLength(MAX_BODY_BYTES, (c) =>
      c.json<ErrorBody>({ error: `body must be at most ${MAX_BODY_BYTES} bytes` }, 413),
    ),
    async (c) => {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        return c.json<ErrorBody>({ error: "content-type must be application/json" }, 415);
      }
      const parsed = parseNewMessage(await c.req.text());
      if (!parsed.ok) return c.json<ErrorBody>({ error: parsed.error }, parsed.status);
      return c.json(await chat.post(parsed.message), 201);
    },
  );

  return routes;
}
