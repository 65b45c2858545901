/**
 * The one computation of the WebSocket handshake (RFC 6455 §4.2.2): the server proves it read the client's key
 * by answering base64(SHA-1(key + GUID)). Web Crypto, so the same code runs in the browser panel and in Node 20
 * (`globalThis.crypto.subtle`), and `npm run handshake` shows exactly what the page shows.
 */

/** The fixed GUID every WebSocket server appends to the key (RFC 6455 §1.3). */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface AcceptComputation {
  key: string;
  /** key + GUID, the text that is hashed. */
  concatenated: string;
  /** The 20 bytes of SHA-1, as hex. */
  sha1Hex: string;
  /** base64 of those 20 bytes: the `Sec-WebSocket-Accept` value. */
  accept: string;
}

/** Works out `Sec-WebSocket-Accept` for `key`, keeping every intermediate step for display. */
export async function computeAccept(key: string): Promise<AcceptComputation> {
  const concatenated = key + WEBSOCKET_GUID;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-1", new TextEncoder().encode(concatenated)));
  const sha1Hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  const accept = btoa(String.fromCharCode(...digest));
  return { key, concatenated, sha1Hex, accept };
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes, base64 (what a browser sends). */
export function randomKey(): string {
  return btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(16))));
}
