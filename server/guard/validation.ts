import { type ErrorCode, MAX_TEXT_LENGTH, MAX_USER_LENGTH, type NewMessage } from "../../shared/protocol.ts";
import { EPOCH_PATTERN } from "../chat/message-store.ts";

export type Validated =
  | { ok: true; message: NewMessage }
  | { ok: false; status: 400 | 413; error: string; code: ErrorCode };

/**
 * Nothing a reader would see: white space, control characters, the characters Unicode says to draw as nothing
 * (zero-width space and joiners, BOM, soft hyphen, Hangul fillers, variation selectors…), the blank braille cell.
 */
const INVISIBLE_ONLY = /^[\s\p{Cc}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Bidi embeddings, overrides, isolates and marks: a name with one can reverse how the names after it read. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Characters drawn as nothing that no name needs (zero-width space, word joiner, BOM, soft hyphen): cleaned out. */
const ZERO_WIDTH = /[\u00ad\u180e\u200b\u2060\ufeff]/gu;

/** The name only the server's own messages carry ("new chat", chat.ts): no one may type it, however disguised. */
const RESERVED_NAMES = new Set(["server"]);

/** The name as a reader sees it: compatibility forms folded, what draws as nothing removed, lower case. */
const lookOf = (name: string) =>
  name
    .normalize("NFKC")
    .replace(/[\s\p{Cc}\p{Default_Ignorable_Code_Point}]/gu, "")
    .toLowerCase();

/** Checks a parsed `{ user, text }` the same way for every transport. */
export function validateNewMessage(value: unknown): Validated {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, status: 400, error: "expected a JSON object { user, text }", code: "bad-message" };
  }
  const { user, text } = value as Record<string, unknown>;
  if (typeof user !== "string") return { ok: false, status: 400, error: "user must be a string", code: "bad-message" };
  if (typeof text !== "string") return { ok: false, status: 400, error: "text must be a string", code: "bad-message" };
  if (BIDI_CONTROLS.test(user)) {
    return {
      ok: false,
      status: 400,
      error: "user must not contain bidirectional controls (U+202E and the like)",
      code: "bad-name",
    };
  }
  const trimmedUser = user.replace(ZERO_WIDTH, "").trim();
  if (INVISIBLE_ONLY.test(trimmedUser))
    return { ok: false, status: 400, error: "user must not be empty", code: "empty-user" };
  if (RESERVED_NAMES.has(lookOf(trimmedUser))) {
    return {
      ok: false,
      status: 400,
      error: `the name "${trimmedUser}" is kept for the server's own messages`,
      code: "bad-name",
    };
  }
  if (trimmedUser.length > MAX_USER_LENGTH) {
    return {
      ok: false,
      status: 400,
      error: `user must be at most ${MAX_USER_LENGTH} characters`,
      code: "user-too-long",
    };
  }
  if (INVISIBLE_ONLY.test(text)) return { ok: false, status: 400, error: "text must not be empty", code: "empty-text" };
  if ([...text].length > MAX_TEXT_LENGTH) {
    return {
      ok: false,
      status: 413,
      error: `text must be at most ${MAX_TEXT_LENGTH} characters`,
      code: "text-too-long",
    };
  }
  return { ok: true, message: { user: trimmedUser, text } };
}

/** Parses and checks a JSON text (a request body or a socket frame: `what` names it in the error). */
export function parseNewMessage(json: string, what: "body" | "frame" = "body"): Validated {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, status: 400, error: `${what} is not valid JSON`, code: "bad-message" };
  }
  return validateNewMessage(value);
}

export type Since = { ok: true; since: number; epoch?: string } | { ok: false; error: string };

/**
 * `?since=<id>&epoch=<epoch>`: `since` absent means 0 (everything), anything but a non-negative integer is an error;
 * `epoch` (the history the id counts in, shared/protocol.ts: EPOCH_PARAM) absent or empty means this one.
 */
export function parseSince(raw: string | undefined, epoch?: string): Since {
  if (raw && !/^\d{1,15}$/.test(raw)) return { ok: false, error: "since must be a non-negative integer message id" };
  if (epoch && !EPOCH_PATTERN.test(epoch)) return { ok: false, error: "epoch must be letters and digits" };
  return { ok: true, since: Number(raw ?? 0), epoch: epoch || undefined };
}

/** `Last-Event-ID: <epoch>-<id>`, the `id:` of our events (server/transports/sse-fast-stream.ts), or a bare id. */
export function parseLastEventId(raw: string): Since {
  const dash = raw.lastIndexOf("-");
  return dash < 0 ? parseSince(raw) : parseSince(raw.slice(dash + 1), raw.slice(0, dash) || "-");
}
