import { describe, expect, it } from "vitest";
import { parseLastEventId, parseNewMessage, parseSince, validateNewMessage } from "../../../server/guard/validation.ts";
import { MAX_TEXT_LENGTH, MAX_USER_LENGTH } from "../../../shared/protocol.ts";

describe("validateNewMessage", () => {
  it("accepts { user, text } and trims the user name only", () => {
    expect(validateNewMessage({ user: "  ada ", text: " hi " })).toEqual({
      ok: true,
      message: { user: "ada", text: " hi " },
    });
  });

  it("drops extra fields", () => {
    expect(validateNewMessage({ user: "ada", text: "hi", id: 99, sentAt: 0 })).toEqual({
      ok: true,
      message: { user: "ada", text: "hi" },
    });
  });

  it.each([null, 42, "text", [], [{ user: "a", text: "b" }]])("refuses a non-object (%j) with 400", (value) => {
    expect(validateNewMessage(value)).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/object/) });
  });

  it.each([
    [{ text: "hi" }, /user must be a string/],
    [{ user: 1, text: "hi" }, /user must be a string/],
    [{ user: "a" }, /text must be a string/],
    [{ user: "a", text: null }, /text must be a string/],
    [{ user: "a", text: ["hi"] }, /text must be a string/],
    [{ user: "   ", text: "hi" }, /user must not be empty/],
    [{ user: "a".repeat(MAX_USER_LENGTH + 1), text: "hi" }, /user must be at most/],
    [{ user: "a", text: "" }, /text must not be empty/],
    [{ user: "a", text: " \n\t " }, /text must not be empty/],
    [{ user: "a", text: "\u200b\u200b\u200b" }, /text must not be empty/], // zero-width spaces
    [{ user: "a", text: "\u200c\u200d\u2060\ufeff\u00ad\u3164\u2800\u0000\u00a0" }, /text must not be empty/],
    [{ user: "\u200b", text: "hi" }, /user must not be empty/],
  ])("refuses %j with 400", (value, error) => {
    expect(validateNewMessage(value)).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(error) });
  });

  it(`accepts exactly ${MAX_TEXT_LENGTH} characters and refuses one more with 413`, () => {
    expect(validateNewMessage({ user: "a", text: "x".repeat(MAX_TEXT_LENGTH) }).ok).toBe(true);
    expect(validateNewMessage({ user: "a", text: "x".repeat(MAX_TEXT_LENGTH + 1) })).toMatchObject({
      ok: false,
      status: 413,
      error: expect.stringMatching(/at most 500 characters/),
    });
  });

  it("counts characters, not UTF-16 units: 500 emoji are allowed", () => {
    expect(validateNewMessage({ user: "a", text: "😀".repeat(MAX_TEXT_LENGTH) }).ok).toBe(true);
  });

  it("accepts visible text around invisible characters (a zero-width joiner inside an emoji, say)", () => {
    expect(validateNewMessage({ user: "a", text: "👩\u200d💻" }).ok).toBe(true);
    expect(validateNewMessage({ user: "a", text: "\u200bhi\u200b" }).ok).toBe(true);
  });

  it(`accepts a user of exactly ${MAX_USER_LENGTH} characters`, () => {
    expect(validateNewMessage({ user: "u".repeat(MAX_USER_LENGTH), text: "hi" }).ok).toBe(true);
  });
});

describe("names a student cannot pose with", () => {
  it.each(["server", "server ", "ser\u200bver", "Server", "ＳＥＲＶＥＲ", "ser\u00adver", "ser\u200dver"])(
    "%j is kept for the server's own messages: 400",
    (user) => {
      expect(validateNewMessage({ user, text: "new chat" })).toMatchObject({ ok: false, status: 400 });
    },
  );

  it.each(["\u202eadmin", "ali\u202d", "a\u2066b", "x\u200fy"])("%j, with a bidi control, is refused: 400", (user) => {
    expect(validateNewMessage({ user, text: "hi" })).toMatchObject({ ok: false, status: 400, error: /bidirectional/ });
  });

  it("zero-width characters are cleaned out of a name; a ZWJ inside an emoji stays", () => {
    expect(validateNewMessage({ user: "a\u200bli\ufeff", text: "hi" })).toMatchObject({ message: { user: "ali" } });
    const family = "👨\u200d👩\u200d👧";
    expect(validateNewMessage({ user: family, text: "hi" })).toMatchObject({ message: { user: family } });
  });
});

describe("parseNewMessage", () => {
  it("parses JSON then validates", () => {
    expect(parseNewMessage('{"user":"a","text":"b"}')).toEqual({ ok: true, message: { user: "a", text: "b" } });
    expect(parseNewMessage('{"user":"a"}')).toMatchObject({ ok: false, status: 400 });
  });

  it.each(["", "{", "not json", '{"user":"a",}'])("refuses malformed JSON %j with 400", (json) => {
    expect(parseNewMessage(json)).toEqual({
      ok: false,
      status: 400,
      error: "body is not valid JSON",
      code: "bad-message",
    });
  });

  it("names a socket frame as such", () => {
    expect(parseNewMessage("{", "frame")).toEqual({
      ok: false,
      status: 400,
      error: "frame is not valid JSON",
      code: "bad-message",
    });
  });
});

describe("parseSince", () => {
  it("treats absent or empty as 0", () => {
    expect(parseSince(undefined)).toEqual({ ok: true, since: 0 });
    expect(parseSince("")).toEqual({ ok: true, since: 0 });
  });

  it("accepts non-negative integers", () => {
    expect(parseSince("0")).toEqual({ ok: true, since: 0 });
    expect(parseSince("42")).toEqual({ ok: true, since: 42 });
  });

  it.each(["abc", "-1", "1.5", "1e3", " 1", "0x10", "9".repeat(16)])("refuses %j", (raw) => {
    expect(parseSince(raw)).toMatchObject({ ok: false, error: expect.stringMatching(/non-negative integer/) });
  });

  it("takes the epoch the id counts in (empty is none), letters and digits only", () => {
    expect(parseSince("7", "3f9a0c7e12ab")).toEqual({ ok: true, since: 7, epoch: "3f9a0c7e12ab" });
    expect(parseSince("7", "")).toEqual({ ok: true, since: 7 });
    expect(parseSince("7", "a b")).toMatchObject({ ok: false, error: expect.stringMatching(/epoch/) });
  });
});

describe("parseLastEventId", () => {
  it("reads `<epoch>-<id>` (our events' ids) and a bare id", () => {
    expect(parseLastEventId("3f9a0c7e12ab-42")).toEqual({ ok: true, since: 42, epoch: "3f9a0c7e12ab" });
    expect(parseLastEventId("42")).toEqual({ ok: true, since: 42 });
  });

  it.each(["not-a-number", "-5", "x y-5", "3f9a-x"])("refuses %j", (raw) => {
    expect(parseLastEventId(raw)).toMatchObject({ ok: false });
  });
});
