/**
 * One WebSocket text frame as it goes on the wire (RFC 6455 §5.2): FIN + opcode 1, the payload length in 1, 3 or
 * 9 bytes, then the payload. Frames from a server are never masked. Header and payload are one buffer, so a
 * broadcast can hand every connection the same bytes in one write (prebuilt-frames.ts; the bench's floor server and
 * machine probe too).
 */
import { frameHeaderLength, LENGTH_16BIT, LENGTH_64BIT, lengthFieldFor } from "../../shared/websocket-frame-header.ts";

const FIN_TEXT = 0x81;

export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerBytes = frameHeaderLength(length, false);
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = FIN_TEXT;
  frame[1] = lengthFieldFor(length);
  if (frame[1] === LENGTH_16BIT) frame.writeUInt16BE(length, 2);
  if (frame[1] === LENGTH_64BIT) frame.writeBigUInt64BE(BigInt(length), 2);
  payload.copy(frame, headerBytes);
  return frame;
}
