import { describe, expect, it } from "vitest";
import {
  extendedLengthBytes,
  frameHeaderLength,
  LENGTH_16BIT,
  LENGTH_64BIT,
  lengthFieldFor,
} from "../../shared/websocket-frame-header.ts";

describe("the frame header length rule (RFC 6455 §5.2)", () => {
  it.each([
    [0, 0, 0, 2],
    [125, 125, 0, 2],
    [126, LENGTH_16BIT, 2, 4],
    [65_535, LENGTH_16BIT, 2, 4],
    [65_536, LENGTH_64BIT, 8, 10],
    [2 ** 32, LENGTH_64BIT, 8, 10],
  ])(
    "%i payload bytes: length field %i, %i extended bytes, a %i-byte server header",
    (payload, field, extended, header) => {
      expect(lengthFieldFor(payload)).toBe(field);
      expect(extendedLengthBytes(field)).toBe(extended);
      expect(frameHeaderLength(payload, false)).toBe(header);
    },
  );

  it("a client's frame carries 4 more bytes: the masking key", () => {
    expect([0, 125, 126, 65_535, 65_536].map((n) => frameHeaderLength(n, true))).toEqual([6, 6, 8, 8, 14]);
  });
});
