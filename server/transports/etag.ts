import type { Page } from "../chat/chat.ts";

/**
 * The entity tag of `GET /messages?since=<since>`: the answer is every stored message after `since` up to the last
 * one, so the epoch (a restarted history reuses ids for other messages), `since` and the last id name it exactly;
 * no need to hash the body.
 */
export function messagesTag({ epoch, since, messages }: Page): string {
  return `"${epoch}-${since}-${messages.at(-1)?.id ?? since}"`;
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
