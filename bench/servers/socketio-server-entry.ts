/**
 * The rival a user would actually pick: a Socket.IO 4.8 server, its own process, measured by the bench exactly as
 * ours (server-entry.ts) and the floor (floor-server-entry.ts) are, through the same IPC contract (server-ipc.ts).
 * `npm run bench -- --rivals` runs it right after each of our WebSocket runs.
 *
 * Socket.IO's defaults except one: the websocket transport only (no long-polling start, no upgrade dance), so the
 * comparison is socket against socket. The chat around it is the plain one the floor keeps (plain-chat.ts):
 * `POST /messages` stores a message and emits it to every client; a client gets the history after the last id it
 * has (its `auth.since`) when it connects.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { TrafficStats } from "../../server/counting/traffic-stats.ts";
import type { Message } from "../../shared/protocol.ts";
import { BroadcastLog, createPlainChat, servePlain } from "./plain-chat.ts";
import { SOCKETIO_EVENTS } from "../core/socketio-events.ts";

const stats = new TrafficStats();
const log = new BroadcastLog();

function broadcast(message: Message): void {
  // Socket.IO encodes the packet once and writes it to every client's engine (its own broadcast; nothing of ours).
  log.time(message, io.engine.clientsCount, () => io.emit(SOCKETIO_EVENTS.message, message));
}

const chat = createPlainChat(stats, broadcast);
const server = createServer(chat.handle);
// Socket.IO answers its own path (/socket.io/) and passes every other request on to the plain chat.
const io = new Server(server, { transports: ["websocket"] });
io.on("connection", (socket) => {
  stats.upgrades++;
  socket.emit(SOCKETIO_EVENTS.history, chat.after(socket.handshake.auth.since));
});

async function close(): Promise<void> {
  // Closes every client's connection, then the HTTP server.
  await io.close();
  server.closeAllConnections();
}

await servePlain(server, stats, log, () => io.engine.clientsCount, close);
