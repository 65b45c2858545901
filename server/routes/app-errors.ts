import type { Hono } from "hono";
import type { ErrorBody } from "../../shared/protocol.ts";
import { BrokerUnavailableError } from "../chat/broker.ts";
import { NotStoredError } from "../chat/message-store.ts";

/** Every error as JSON `{ error, code }`: no route (404), and what a route threw (503, 500). */
export function answerErrors(app: Hono): void {
  app.notFound((c) =>
    c.json<ErrorBody>({ error: `no route for ${c.req.method} ${c.req.path}`, code: "not-found" }, 404),
  );
  app.onError((error, c) => {
    // Redis unreachable: nothing was stored or read; 503 tells the client to try again, not that it erred.
    if (error instanceof BrokerUnavailableError)
      return c.json<ErrorBody>({ error: error.message, code: "broker-unavailable" }, 503);
    if (error instanceof NotStoredError) return c.json<ErrorBody>({ error: error.message, code: "not-stored" }, 500); // disk full
    console.error(error);
    return c.json<ErrorBody>({ error: "internal server error", code: "internal" }, 500);
  });
}
