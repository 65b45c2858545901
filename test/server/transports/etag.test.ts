import { describe, expect, it } from "vitest";
import { messagesTag, noneMatch, tagsNoMessage } from "../../../server/transports/etag.ts";
import type { Message } from "../../../shared/protocol.ts";

const message = (id: number): Message => ({ id, user: "u", text: `m${id}`, sentAt: id });

describe("messagesTag", () => {
  it("names an answer by since and its last id, so equal answers share a tag and different ones do not", () => {
    expect(messagesTag(0, [message(1), message(2)])).toBe(messagesTag(0, [message(1), message(2)]));
    expect(messagesTag(0, [message(1), message(2)])).not.toBe(messagesTag(0, [message(1)]));
    expect(messagesTag(2, [])).not.toBe(messagesTag(3, []));
    expect(messagesTag(2, [])).not.toBe(messagesTag(0, [message(1), message(2)]));
    expect(messagesTag(2, [])).toMatch(/^"[^"]+"$/);
  });
});

describe("noneMatch (If-None-Match)", () => {
  const tag = messagesTag(5, []);
  it("is true without the header or with other tags, false for the tag, a weak form of it, a list with it, or *", () => {
    expect(noneMatch(undefined, tag)).toBe(true);
    expect(noneMatch('"other"', tag)).toBe(true);
    expect(noneMatch(tag, tag)).toBe(false);
    expect(noneMatch(`W/${tag}`, tag)).toBe(false);
    expect(noneMatch(`"a", ${tag} , "b"`, tag)).toBe(false);
    expect(noneMatch("*", tag)).toBe(false);
  });
});

describe("tagsNoMessage", () => {
  it("is true only for a tag whose answer has no message (since = last id)", () => {
    expect(tagsNoMessage(messagesTag(7, []))).toBe(true);
    expect(tagsNoMessage(messagesTag(6, [message(7)]))).toBe(false);
    expect(tagsNoMessage(null)).toBe(false);
  });
});
