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
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { FIRST_MESSAGE } from "../server/chat/chat.ts";
import { KEEP_ALIVE_TIMEOUT_MS } from "../server/guard/limits.ts";
import { textFrame } from "../server/node/text-frame.ts";
import { TrafficStats } from "../server/node/traffic-stats.ts";
import { PATHS, type Message, type NewMessage, type ServerFrame } from "../shared/protocol.ts";
import { epochNow } from "./publisher.ts";
import { serveBench, timeBroadcast, type BroadcastTiming } from "./server-ipc.ts";
import type { ServerReport } from "./server-process.ts";

// Like our chat, it starts with the lesson's first message. Ids are 1, 2, 3…, so the messages after id N start at
// index N: no search needed.
const messages: Message[] = [{ id: 1, ...FIRST_MESSAGE, sentAt: Date.now() }];
const after = (query: string | null) => messages.slice(Math.max(0, Math.floor(Number(query) || 0)));

/** Sockets that have had their history, with the TCP connection each one's frames are written to. */
const live = new Map<WebSocket, Duplex>();
const stats = new TrafficStats();
const broadcasts: BroadcastTiming[] = [];
// When each message was handed to the socket loop, so the bench's "POST sent → server hands it on" works here too.
const handedOver: [number, number][] = [];

function broadcast(message: Message): void {
  handedOver.push([message.id, epochNow()]);
  broadcasts.push(
    timeBroadcast(live.size, () => {
      // No extension is negotiated (ws's perMessageDeflate is off by default), so these bytes are the whole frame.
      const frame = textFrame(Buffer.from(JSON.stringify({ type: "message", message } satisfies ServerFrame)));
      for (const connection of live.values()) connection.write(frame);
    }),
  );
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

function post(req: IncomingMessage, res: ServerResponse): void {
  let body = "";
  req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    let input: NewMessage;
    try {
      input = JSON.parse(body);
    } catch {
      return json(res, 400, { error: "body must be JSON" });
    }
    const message: Message = { id: messages.length + 1, user: input.user, text: input.text, sentAt: Date.now() };
    messages.push(message);
    // As in our chat: stored, broadcast, then answered 201 with the message (the publisher reads its id).
    broadcast(message);
    json(res, 201, message);
  });
}

const server = createServer((req, res) => {
  const url = new URL(req.url!, "http://floor");
  stats.countRequest(`${req.method} ${url.pathname}`);
  if (url.pathname !== PATHS.messages) return json(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
  if (req.method === "POST") return post(req, res);
  const since = after(url.searchParams.get("since"));
  if (since.length === 0) stats.emptyResponses++;
  json(res, 200, since);
});

const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
  const url = new URL(req.url!, "http://floor");
  if (url.pathname !== PATHS.socket) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    stats.upgrades++;
    ws.send(JSON.stringify({ type: "history", messages: after(url.searchParams.get("since")) } satisfies ServerFrame));
    live.set(ws, socket);
    ws.on("close", () => live.delete(ws));
  });
});

// The same keep-alive as our server (server/node/node-server.ts): a poller at a slow interval keeps its connection.
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
stats.attach(server);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

const report = (): ServerReport => ({
  ...stats.snapshot(),
  openSockets: wss.clients.size,
  broadcasts: broadcasts.splice(0),
  broker: { published: [], received: handedOver.splice(0) },
});

async function close(): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  await closed;
}

serveBench(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, report, close);
