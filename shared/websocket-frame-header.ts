/**
 * How long a WebSocket frame's header is (RFC 6455 §5.2), in one place: the server's frame writer, the page's byte
 * meter and the hand-made frames of `npm run handshake` all follow this rule. No Node imports: the page uses it too.
 *
 * Two bytes always (FIN, opcode; MASK bit and a 7-bit length). A payload that does not fit in 7 bits puts 126 or 127
 * there and its real length in the next 2 or 8 bytes. A client then adds its 4-byte masking key (§5.3).
 */

/** Largest payload whose length fits the 7-bit field itself. */
const MAX_7BIT_LENGTH = 125;
/** In the 7-bit field: "the next 2 bytes hold the length" (payloads up to MAX_16BIT_LENGTH). */
export const LENGTH_16BIT = 126;
const MAX_16BIT_LENGTH = 0xffff;
/** In the 7-bit field: "the next 8 bytes hold the length". */
export const LENGTH_64BIT = 127;
/** A client masks every frame it sends with a key of this many bytes; a server sends none. */
export const MASKING_KEY_BYTES = 4;

/** What goes in the 7-bit length field for a payload of `payloadLength` bytes: the length itself, or 126 / 127. */
export function lengthFieldFor(payloadLength: number): number {
  if (payloadLength <= MAX_7BIT_LENGTH) return payloadLength;
  return payloadLength <= MAX_16BIT_LENGTH ? LENGTH_16BIT : LENGTH_64BIT;
}

/** How many bytes after the first two hold the length, for a given 7-bit field: 0, 2 or 8. */
export function extendedLengthBytes(field: number): number {
  return field === LENGTH_16BIT ? 2 : field === LENGTH_64BIT ? 8 : 0;
}

/** Bytes before the payload: 2, 4 or 10, and 4 more for a masked (client) frame. */
export function frameHeaderLength(payloadLength: number, masked: boolean): number {
  return 2 + extendedLengthBytes(lengthFieldFor(payloadLength)) + (masked ? MASKING_KEY_BYTES : 0);
}
