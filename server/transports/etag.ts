import type { Message } from "../../shared/protocol.ts";

/**
 * Tells one server process's tags from another's: with a history kept only in memory, a restarted server reuses
 * ids for other messages, and an old tag must not match them.
 */
const EPOCH = Date.now().toString(36);

/**
 * The entity tag of `GET /messages?since=<since>`: the answer is every stored message after `since` up to the last
 * one, so `since` and the last id name it exactly; no need to hash the body.
 */
export function messagesTag(since: number, messages: readonly Message[]): string {
  return `"${EPOCH}-${since}-${messages.at(-1)?.id ?? since}"`;
}

/** True when the tag names an answer with no message in it (`since` is already the last id): read by the counting. */
export function tagsNoMessage(tag: string | null): boolean {
  const [since, last] = tag?.slice(1, -1).split("-").slice(1) ?? [];
  return since !== undefined && since === last;
}

/** `If-None-Match` (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly (a `W/` prefix is ignored). */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return true;
  if (header.trim() === "*") return false;
  return !header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === tag);
}
