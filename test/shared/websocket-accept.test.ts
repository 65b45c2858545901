import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeAccept, randomKey, WEBSOCKET_GUID } from "../../shared/websocket-accept.ts";

describe("computeAccept", () => {
  it("gives the RFC 6455 §1.3 example's answer, with every step", async () => {
    const computation = await computeAccept("dGhlIHNhbXBsZSBub25jZQ==");
    expect(computation.accept).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(computation.concatenated).toBe("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    expect(computation.sha1Hex).toBe("b37a4f2cc0624f1690f64606cf385945b2bec4ea");
  });

  it("agrees with node:crypto on fresh keys", async () => {
    for (let i = 0; i < 20; i++) {
      const key = randomKey();
      const expected = createHash("sha1")
        .update(key + WEBSOCKET_GUID)
        .digest("base64");
      expect((await computeAccept(key)).accept).toBe(expected);
    }
  });
});

describe("randomKey", () => {
  it("is 16 random bytes in base64, different each time", () => {
    const keys = new Set(Array.from({ length: 50 }, randomKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(Buffer.from(key, "base64")).toHaveLength(16);
  });
});
