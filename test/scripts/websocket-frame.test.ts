import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyMask,
  decodeFrame,
  decodeFrames,
  encodeFrame,
  OPCODES,
  opcodeName,
} from "../../scripts/websocket-frame.ts";

const bytes = (...values: number[]) => Buffer.from(values);
const HELLO = Buffer.from("Hello");
const RFC_MASK = bytes(0x37, 0xfa, 0x21, 0x3d);

// RFC 6455 §5.7, "Examples".
describe("the RFC 6455 §5.7 examples", () => {
  it("a single-frame unmasked text message", () => {
    const wire = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    const frame = decodeFrame(wire)!;
    expect(frame).toMatchObject({
      fin: true,
      rsv1: false,
      rsv2: false,
      rsv3: false,
      opcode: OPCODES.text,
      masked: false,
    });
    expect(frame.payloadLength).toBe(5);
    expect(frame.payload.toString()).toBe("Hello");
    expect(frame.headerLength).toBe(2);
    expect(encodeFrame({ opcode: OPCODES.text, payload: HELLO })).toEqual(wire);
  });

  it("a single-frame masked text message", () => {
    const wire = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    const frame = decodeFrame(wire)!;
    expect(frame.masked).toBe(true);
    expect(frame.maskingKey).toEqual(RFC_MASK);
    expect(frame.wirePayload).toEqual(bytes(0x7f, 0x9f, 0x4d, 0x51, 0x58));
    expect(frame.payload.toString()).toBe("Hello");
    expect(frame.headerLength).toBe(6);
    expect(encodeFrame({ opcode: OPCODES.text, payload: HELLO, maskingKey: RFC_MASK })).toEqual(wire);
  });

  it("a fragmented unmasked text message: a text frame without FIN, then a continuation with it", () => {
    const wire = bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f);
    const { frames, rest } = decodeFrames(wire);
    expect(rest.length).toBe(0);
    expect(frames.map((f) => [f.fin, opcodeName(f.opcode), f.payload.toString()])).toEqual([
      [false, "text", "Hel"],
      [true, "continuation", "lo"],
    ]);
    expect(encodeFrame({ opcode: OPCODES.text, payload: Buffer.from("Hel"), fin: false })).toEqual(wire.subarray(0, 5));
  });

  it("an unmasked ping, and the masked pong that answers it", () => {
    const ping = bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);
    const pong = bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);
    expect(opcodeName(decodeFrame(ping)!.opcode)).toBe("ping");
    expect(decodeFrame(ping)!.payload.toString()).toBe("Hello");
    expect(opcodeName(decodeFrame(pong)!.opcode)).toBe("pong");
    expect(decodeFrame(pong)!.payload.toString()).toBe("Hello");
    expect(encodeFrame({ opcode: OPCODES.ping, payload: HELLO })).toEqual(ping);
    expect(encodeFrame({ opcode: OPCODES.pong, payload: HELLO, maskingKey: RFC_MASK })).toEqual(pong);
  });

  it("256 bytes of binary data: length 126, then 16 bits", () => {
    const payload = Buffer.alloc(256, 0xab);
    const wire = encodeFrame({ opcode: OPCODES.binary, payload });
    expect(wire.subarray(0, 4)).toEqual(bytes(0x82, 0x7e, 0x01, 0x00));
    expect(wire.length).toBe(4 + 256);
    const frame = decodeFrame(wire)!;
    expect(frame).toMatchObject({ opcode: OPCODES.binary, lengthField: 126, payloadLength: 256, headerLength: 4 });
    expect(frame.payload).toEqual(payload);
  });

  it("64 KiB of binary data: length 127, then 64 bits", () => {
    const payload = Buffer.alloc(65536, 0xcd);
    const wire = encodeFrame({ opcode: OPCODES.binary, payload });
    expect(wire.subarray(0, 10)).toEqual(bytes(0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00));
    const frame = decodeFrame(wire)!;
    expect(frame).toMatchObject({ lengthField: 127, payloadLength: 65536, headerLength: 10 });
    expect(frame.payload.equals(payload)).toBe(true);
  });
});

describe("length boundaries", () => {
  it.each([
    [125, 125, 2],
    [126, 126, 4],
    [65535, 126, 4],
    [65536, 127, 10],
  ])("a %i-byte payload uses length field %i and a %i-byte header", (length, field, header) => {
    const frame = decodeFrame(encodeFrame({ opcode: OPCODES.binary, payload: Buffer.alloc(length) }))!;
    expect([frame.lengthField, frame.headerLength, frame.payloadLength]).toEqual([field, header, length]);
  });
});

describe("decodeFrame", () => {
  it("waits (undefined) for every proper prefix of a frame, in each length form and masked", () => {
    for (const length of [5, 300, 70_000]) {
      const wire = encodeFrame({ opcode: OPCODES.text, payload: Buffer.alloc(length, 0x61), maskingKey: RFC_MASK });
      const cuts = [0, 1, 2, 3, 5, 9, 13, wire.length - 1].filter((cut) => cut < wire.length);
      for (const cut of cuts) expect(decodeFrame(wire.subarray(0, cut))).toBeUndefined();
      expect(decodeFrame(wire)?.payloadLength).toBe(length);
    }
  });

  it("leaves the bytes of a frame still arriving as the rest", () => {
    const first = encodeFrame({ opcode: OPCODES.text, payload: HELLO });
    const second = encodeFrame({ opcode: OPCODES.text, payload: Buffer.from("world") });
    const { frames, rest } = decodeFrames(Buffer.concat([first, second.subarray(0, 3)]));
    expect(frames).toHaveLength(1);
    expect(rest).toEqual(second.subarray(0, 3));
  });

  it("reads the RSV bits and reserved opcodes as they are", () => {
    const frame = decodeFrame(bytes(0x73, 0x00))!;
    expect([frame.fin, frame.rsv1, frame.rsv2, frame.rsv3]).toEqual([false, true, true, true]);
    expect(opcodeName(frame.opcode)).toBe("reserved");
  });

  it("refuses a 64-bit length no JavaScript number can hold", () => {
    expect(() => decodeFrame(bytes(0x82, 0x7f, 0xff, 0, 0, 0, 0, 0, 0, 0))).toThrow(RangeError);
  });
});

describe("encodeFrame", () => {
  it("refuses a masking key that is not 4 bytes", () => {
    expect(() => encodeFrame({ opcode: OPCODES.text, payload: HELLO, maskingKey: bytes(1, 2, 3) })).toThrow(RangeError);
  });

  it("masking twice gives the payload back", () => {
    expect(applyMask(applyMask(HELLO, RFC_MASK), RFC_MASK)).toEqual(HELLO);
  });

  it("decodes what it encodes, for any payload, opcode, FIN and mask", () => {
    fc.assert(
      fc.property(
        // Small payloads byte by byte; long ones (the 16- and 64-bit forms) from a pattern, which is much faster.
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc
            .tuple(fc.integer({ min: 65_000, max: 70_000 }), fc.nat(255))
            .map(([length, seed]) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff)),
        ),
        fc.constantFrom(...Object.values(OPCODES)),
        fc.boolean(),
        fc.option(fc.uint8Array({ minLength: 4, maxLength: 4 }), { nil: undefined }),
        (payload, opcode, fin, maskingKey) => {
          const wire = encodeFrame({ opcode, payload, fin, maskingKey });
          const frame = decodeFrame(wire)!;
          expect(frame.bytes.length).toBe(wire.length);
          expect([frame.opcode, frame.fin, frame.masked]).toEqual([opcode, fin, maskingKey !== undefined]);
          expect(frame.payload.equals(payload)).toBe(true); // equals(): toEqual walks 70 000 bytes one by one
        },
      ),
      { numRuns: 100 },
    );
  });
});
