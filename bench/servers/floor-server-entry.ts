/**
 * The floor: the least server that speaks the protocol (shared/protocol.ts), i.e. what this machine gives before our
 * request handling (Hono, routes, chat, validation). It borrows only what makes the two rows measured alike: the
 * frame builder, the byte counter, the keep-alive and the first message.
 * `npm run bench -- --floor` runs the very same clients against it as against our server (server-entry.ts), through
 * the same IPC contract (server-ipc.ts), so the gap between the two rows is what our code costs and the rest is the
 * machine's.
 *
 * Plain node:http + ws: no Hono, no validation beyond JSON.parse, no rate limit, no origin check, no heartbeat, no
 * ETag, no history bound. It keeps only what the bench clients need (polling and WebSocket), and does the hot path
 * as cheaply as this machine allows, as our Node edge does (server/node/prebuilt-frames.ts): a message is encoded
 * once, into one whole frame, and the same bytes are written to every socket's TCP connection.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { textFrame } from "../../server/node/text-frame.ts";
import { TrafficStats } from "../../server/counting/traffic-stats.ts";
import { PATHS, type Message, type ServerFrame } from "../../shared/protocol.ts";
import { BroadcastLog, createPlainChat, PLAIN_EPOCH, servePlain } from "./plain-chat.ts";

/** Sockets that have had their history, with the TCP connection each one's frames are written to. */
const live = new Map<WebSocket, Duplex>();
const stats = new TrafficStats();
const log = new BroadcastLog();

function broadcast(message: Message): void {
  log.time(message, live.size, () => {
    // No extension is negotiated (ws's perMessageDeflate is off by default), so these bytes are the whole frame.
    const frame = textFrame(Buffer.from(JSON.stringify(message satisfies ServerFrame))); // the frame is the message
    for (const connection of live.values()) connection.write(frame);
  });
}

const chat = createPlainChat(stats, broadcast);
const server = createServer(chat.handle);

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
  const url = new URL(req.url!, "http://floor");
  if (url.pathname !== PATHS.socket) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    stats.upgrades++;
    ws.send(JSON.stringify({ epoch: PLAIN_EPOCH } satisfies ServerFrame));
    for (const message of chat.after(url.searchParams.get("since"))) ws.send(JSON.stringify(message));
    live.set(ws, socket);
    ws.on("close", () => live.delete(ws));
  });
});

async function close(): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  await closed;
}

await servePlain(server, stats, log, () => wss.clients.size, close);
