import type { IncomingMessage } from "node:http";
import type { WebSocketServer } from "ws";
import { HANDSHAKE_PARAM, type HandshakeFrame } from "../../shared/protocol.ts";

/** The request line and headers as the server read them (`rawHeaders` keeps the client's order and spelling). */
function requestLines(request: IncomingMessage): string[] {
  const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  return lines;
}

function wantsHandshake(request: IncomingMessage): boolean {
  return new URL(request.url ?? "/", "http://host").searchParams.has(HANDSHAKE_PARAM);
}

/**
 * A browser cannot read the headers of its own upgrade request nor of the 101 it got, so a socket opened with
 * `?handshake` is told them in its first frame (the page's handshake panel shows them). Lives at the runtime edge:
 * only here are the raw request and the exact response lines (`ws`'s `headers` event) in reach.
 * Sockets that do not ask get nothing extra, so the bench measures the chat's real traffic.
 */
export function echoHandshakes(wss: WebSocketServer): void {
  // The array `ws` writes, kept by reference: listeners that run after this one (Hono's) may still add lines to it.
  const responses = new WeakMap<IncomingMessage, string[]>();
  wss.on("headers", (lines, request) => responses.set(request, lines));
  wss.on("connection", (socket, request) => {
    if (!wantsHandshake(request)) return;
    const frame: HandshakeFrame = {
      request: requestLines(request),
      response: [...(responses.get(request) ?? [])],
    };
    socket.send(JSON.stringify(frame));
  });
}
