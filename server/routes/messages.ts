import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ErrorBody } from "../../shared/protocol.ts";
import type { Chat } from "../chat.ts";
import { MAX_BODY_BYTES } from "../limits.ts";
import type { TrafficStats } from "../traffic-stats.ts";
import { parseNewMessage, parseSince } from "../validation.ts";

/** `GET /messages[?since=id]` for pollers, `POST /messages` for anyone who wants to talk. */
export function messageRoutes(chat: Chat, stats?: TrafficStats): Hono {
  const routes = new Hono();

  routes.get("/", async (c) => {
    const since = parseSince(c.req.query("since"));
    if (!since.ok) return c.json<ErrorBody>({ error: since.error }, 400);
    const messages = await chat.since(since.since);
    if (messages.length === 0 && stats) stats.emptyResponses++;
    return c.json(messages);
  });

  routes.post(
    "/",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json<ErrorBody>({ error: `body must be at most ${MAX_BODY_BYTES} bytes` }, 413),
    }),
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
