/**
 * WebSocket frames (RFC 6455 §5.2) by hand, for `npm run handshake` to send one and take replies apart.
 * The server and the browser use real implementations (`ws`, the browser's own); this one exists to be read.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 */
// The length rule (7 bits, or 126 / 127 and a 16-bit or 64-bit length after them) is the server's and the page's too.
import {
  extendedLengthBytes,
  frameHeaderLength,
  LENGTH_16BIT,
  LENGTH_64BIT,
  lengthFieldFor,
  MASKING_KEY_BYTES,
} from "../shared/websocket-frame-header.ts";

export const OPCODES = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export type OpcodeName = keyof typeof OPCODES;

/** The name of an opcode, or `reserved` for the ones RFC 6455 leaves unassigned. */
export function opcodeName(opcode: number): OpcodeName | "reserved" {
  const entry = Object.entries(OPCODES).find(([, value]) => value === opcode);
  return entry ? (entry[0] as OpcodeName) : "reserved";
}

export interface FrameToSend {
  opcode: number;
  payload: Uint8Array;
  fin?: boolean;
  /** Four bytes; a client must mask every frame it sends (§5.3), a server must not. */
  maskingKey?: Uint8Array;
}

export interface DecodedFrame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  /** The 7-bit length field as sent: the length itself, or 126 / 127 for the extended forms. */
  lengthField: number;
  payloadLength: number;
  maskingKey: Buffer | undefined;
  /** The payload as it crossed the wire (still masked, if it was). */
  wirePayload: Buffer;
  /** The payload unmasked. */
  payload: Buffer;
  /** Every byte of the frame, header included. */
  bytes: Buffer;
  headerLength: number;
}

/** XOR with the 4-byte key, byte i with key[i % 4] (§5.3); the same operation masks and unmasks. */
export function applyMask(data: Uint8Array, maskingKey: Uint8Array): Buffer {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ maskingKey[i % 4]!;
  return out;
}

export function encodeFrame({ opcode, payload, fin = true, maskingKey }: FrameToSend): Buffer {
  if (maskingKey && maskingKey.length !== MASKING_KEY_BYTES) throw new RangeError("a masking key is exactly 4 bytes");
  const length = payload.length;
  const field = lengthFieldFor(length); // the length itself, or 126 / 127
  const extended = extendedLengthBytes(field); // 0, 2 or 8 bytes of real length after it
  const header = Buffer.alloc(frameHeaderLength(length, maskingKey !== undefined));
  header[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  header[1] = (maskingKey ? 0x80 : 0) | field;
  if (field === LENGTH_16BIT) header.writeUInt16BE(length, 2);
  if (field === LENGTH_64BIT) header.writeBigUInt64BE(BigInt(length), 2);
  if (maskingKey) header.set(maskingKey, 2 + extended);
  return Buffer.concat([header, maskingKey ? applyMask(payload, maskingKey) : payload]);
}

/** Decodes the frame at the start of `bytes`; `undefined` while the bytes are not all there yet. */
export function decodeFrame(bytes: Buffer): DecodedFrame | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes[0]!;
  const second = bytes[1]!;
  const masked = (second & 0x80) !== 0;
  const lengthField = second & 0x7f;
  let offset = 2;
  let payloadLength = lengthField;
  if (lengthField === LENGTH_16BIT) {
    if (bytes.length < offset + 2) return undefined;
    payloadLength = bytes.readUInt16BE(offset);
    offset += 2;
  } else if (lengthField === LENGTH_64BIT) {
    if (bytes.length < offset + 8) return undefined;
    const big = bytes.readBigUInt64BE(offset);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`payload length ${big} is too large to handle`);
    payloadLength = Number(big);
    offset += 8;
  }
  let maskingKey: Buffer | undefined;
  if (masked) {
    if (bytes.length < offset + MASKING_KEY_BYTES) return undefined;
    maskingKey = bytes.subarray(offset, offset + MASKING_KEY_BYTES);
    offset += MASKING_KEY_BYTES;
  }
  if (bytes.length < offset + payloadLength) return undefined;
  const wirePayload = bytes.subarray(offset, offset + payloadLength);
  return {
    fin: (first & 0x80) !== 0,
    rsv1: (first & 0x40) !== 0,
    rsv2: (first & 0x20) !== 0,
    rsv3: (first & 0x10) !== 0,
    opcode: first & 0x0f,
    masked,
    lengthField,
    payloadLength,
    maskingKey,
    wirePayload,
    payload: maskingKey ? applyMask(wirePayload, maskingKey) : Buffer.from(wirePayload),
    bytes: bytes.subarray(0, offset + payloadLength),
    headerLength: offset,
  };
}

/** Every complete frame at the start of `bytes`, and the bytes left over (a frame still arriving). */
export function decodeFrames(bytes: Buffer): { frames: DecodedFrame[]; rest: Buffer } {
  const frames: DecodedFrame[] = [];
  let rest = bytes;
  for (let frame = decodeFrame(rest); frame; frame = decodeFrame(rest)) {
    frames.push(frame);
    rest = rest.subarray(frame.bytes.length);
  }
  return { frames, rest };
}
