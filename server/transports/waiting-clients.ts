import type { Message } from "../../shared/protocol.ts";

/**
 * What every transport that keeps clients waiting does, whatever it holds: a long poll's pending answer, an event
 * stream, a socket. Each keeps its waiters in a plain `Set` (the lesson's `sockets`) and loops over it; delivery.ts
 * calls these three for all of them at once, so a new transport is wired by adding it to one list.
 */
export interface WaitingClients {
  /** A message was stored: encode it once and give it to every waiting client (the broadcast loop). */
  deliver(message: Message): void;
  /** The history started again (a Redis that lost its data): every waiting client must come back and catch up. */
  restart(): void;
  /** Graceful shutdown: answer or close every waiting client, and refuse to hold new ones. */
  close(): void;
}
