/**
 * One WebSocket text frame as it goes on the wire (RFC 6455 §5.2): FIN + opcode 1, the payload length in 1, 3 or
 * 9 bytes, then the payload. Frames from a server are never masked. Header and payload are one buffer, so a
 * broadcast can hand every connection the same bytes in one write (server/routes/socket.ts).
 */
const FIN_TEXT = 0x81;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerBytes = length < LENGTH_16 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = FIN_TEXT;
  if (headerBytes === 2) frame[1] = length;
  else if (headerBytes === 4) {
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = LENGTH_64;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerBytes);
  return frame;
}
