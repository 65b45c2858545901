import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_FRAME_BYTES } from "../../../server/limits/input-limits.ts";
import { isMessageFrame, MAX_TEXT_LENGTH, MAX_USER_LENGTH } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";

const server = useServer();

/** JSON as Python's `json.dumps` writes it by default: ASCII only (every emoji as two \u escapes), ", " and ": ". */
const asciiJson = (value: Record<string, string>) =>
  "{" +
  Object.entries(value)
    .map(([key, text]) => `"${key}": "${[...text].map((c) => escapeUnits(c)).join("")}"`)
    .join(", ") +
  "}";
const escapeUnits = (c: string) =>
  [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");

// The longest legal message in its worst legal encoding: 500 emoji (12 bytes each) and a 32-unit user (6 bytes each).
const longest = { user: "é".repeat(MAX_USER_LENGTH), text: "😀".repeat(MAX_TEXT_LENGTH) };
const body = asciiJson(longest);

describe("MAX_BODY_BYTES and MAX_FRAME_BYTES fit the longest legal message in its worst legal encoding", () => {
  it(`500 emoji as \\ud83d\\ude00, a 32-character user escaped: ${body.length} bytes <= ${MAX_BODY_BYTES}`, async () => {
    expect(JSON.parse(body)).toEqual(longest);
    expect(body.length).toBeGreaterThan(6000);
    const response = await fetch(`${server().url}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject(longest);
  });

  it("the same frame over the socket is stored, not closed with 1009", async () => {
    expect(MAX_FRAME_BYTES).toBe(MAX_BODY_BYTES);
    const client = await SocketClient.open(server().url);
    client.send(body);
    const echoed = await client.waitForFrame((f) => isMessageFrame(f) && f.text === longest.text);
    expect(echoed).toMatchObject(longest);
    await client.close();
  });
});
