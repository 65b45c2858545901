import { WebSocket, type WebSocketServer } from "ws";
import type { ServerFrame } from "../../shared/protocol.ts";
import { HEARTBEAT_INTERVAL_MS, SOCKET_CLOSE_GRACE_MS } from "../guard/limits.ts";

const HEARTBEAT_FRAME = JSON.stringify({ type: "heartbeat" } satisfies ServerFrame);

/**
 * Every `intervalMs`: terminate the sockets that did not answer the last ping (a laptop that slept, a cable pulled:
 * TCP alone may not notice for minutes), ping the others, and send them a heartbeat frame the browser can see.
 * Returns a stop function.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const answered = new WeakSet<WebSocket>();
  wss.on("connection", (ws) => {
    answered.add(ws);
    ws.on("pong", () => answered.add(ws));
  });
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!answered.has(ws)) {
        ws.terminate();
        continue;
      }
      answered.delete(ws);
      if (ws.readyState !== WebSocket.OPEN) continue;
      ws.ping();
      ws.send(HEARTBEAT_FRAME);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Closes every socket with `code` (1001 "going away" on shutdown), waits up to `graceMs` for replies, cuts the rest. */
export async function closeSockets(wss: WebSocketServer, code: number, reason: string, graceMs = SOCKET_CLOSE_GRACE_MS): Promise<void> {
  const sockets = [...wss.clients];
  const closed = sockets.map((ws) => new Promise((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve(null) : ws.once("close", resolve))));
  for (const ws of sockets) ws.close(code, reason);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  for (const ws of wss.clients) ws.terminate();
}
