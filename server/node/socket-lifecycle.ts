import { WebSocket, type WebSocketServer } from "ws";
import type { ServerFrame } from "../../shared/protocol.ts";
import { HEARTBEAT_INTERVAL_MS } from "../limits/waiting-limits.ts";
import { SOCKET_CLOSE_GRACE_MS } from "../limits/connection-limits.ts";
import type { SocketHub } from "../transports/socket-hub.ts";

const HEARTBEAT_FRAME = JSON.stringify({ heartbeat: true } satisfies ServerFrame);

/** The hub's sockets as what they are on Node: `ws`'s WebSocket, which Hono's WSContext keeps as `raw`. */
export function nodeSockets(hub: SocketHub): WebSocket[] {
  return [...hub.sockets].map((socket) => socket.raw as unknown as WebSocket);
}

/**
 * Every `intervalMs`: terminate the hub's sockets that did not answer the last ping (a laptop that slept, a cable
 * pulled: TCP alone may not notice for minutes), ping the others, and send them a heartbeat frame the browser can see.
 * Returns a stop function.
 */
export function startHeartbeat(wss: WebSocketServer, hub: SocketHub, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const answered = new WeakSet<WebSocket>();
  wss.on("connection", (ws) => {
    answered.add(ws);
    ws.on("pong", () => answered.add(ws));
  });
  const timer = setInterval(() => {
    for (const ws of nodeSockets(hub)) {
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
export async function closeSockets(
  sockets: Iterable<WebSocket>,
  code: number,
  reason: string,
  graceMs = SOCKET_CLOSE_GRACE_MS,
): Promise<void> {
  const open = [...sockets];
  const closed = open.map(
    (ws) => new Promise((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve(null) : ws.once("close", resolve))),
  );
  for (const ws of open) ws.close(code, reason);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  for (const ws of open) ws.terminate();
}
