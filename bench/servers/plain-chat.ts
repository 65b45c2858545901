/**
 * The chat the bench's other servers keep (the floor server, floor-server-entry.ts; the Socket.IO rival,
 * rivals/socketio-server-entry.ts): messages in an array, `POST /messages` stores and hands on, `GET /messages?since=`
 * answers what came after; and how they are served to the bench alike (broadcasts timed, bytes counted, IPC).
 * Plain node:http, none of our request handling, so the rows measured on them show what their push path costs and
 * nothing of ours.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FIRST_MESSAGE } from "../../server/chat/chat.ts";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../server/limits/connection-limits.ts";
import type { TrafficStats } from "../../server/counting/traffic-stats.ts";
import { newEpoch } from "../../server/chat/message-store.ts";
import { EPOCH_HEADER, PATHS, type Message, type NewMessage } from "../../shared/protocol.ts";
import { epochNow } from "../clients/publisher.ts";
import { serveBench, timeBroadcast, type BroadcastTiming } from "./server-ipc.ts";

export interface PlainChat {
  /** The messages after id `since` (a query string's value; anything unreadable is 0). */
  after(since: unknown): Message[];
  /** Answers every plain HTTP request: the two message routes, else 404. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Its history's epoch (shared/protocol.ts: EPOCH_HEADER), sent as ours is, so the rows carry the same bytes. It never
 * changes: the history is in memory and the server is never restarted during a run.
 */
export const PLAIN_EPOCH = newEpoch();

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json", [EPOCH_HEADER]: PLAIN_EPOCH }).end(JSON.stringify(body));

/** `broadcast` is called with each message stored, before its 201 goes out (as in our chat). */
export function createPlainChat(stats: TrafficStats, broadcast: (message: Message) => void): PlainChat {
  // Like our chat, it starts with the lesson's first message. Ids are 1, 2, 3…, so the messages after id N start at
  // index N: no search needed.
  const messages: Message[] = [{ id: 1, ...FIRST_MESSAGE, sentAt: Date.now() }];
  const after = (since: unknown) => messages.slice(Math.max(0, Math.floor(Number(since) || 0)));

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

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, "http://plain");
    stats.countRequest(`${req.method} ${url.pathname}`);
    if (url.pathname !== PATHS.messages) json(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
    else if (req.method === "POST") post(req, res);
    else {
      const since = after(url.searchParams.get("since"));
      if (since.length === 0) stats.emptyResponses++;
      json(res, 200, since);
    }
  }

  return { after, handle };
}

/** What a plain server's broadcasts report: each one timed, and when each message was handed to the loop. */
export class BroadcastLog {
  readonly timings: BroadcastTiming[] = [];
  // So the bench's "POST sent → server hands it on" works on these servers too.
  readonly handedOver: [number, number][] = [];

  time(message: Message, sockets: number, send: () => void): void {
    this.handedOver.push([message.id, epochNow()]);
    this.timings.push(timeBroadcast(sockets, send));
  }
}

/**
 * Listens on 127.0.0.1 (a free port) with our server's keep-alive (server/node/node-server.ts: a poller at a slow
 * interval keeps its connection), counts its bytes at the TCP sockets, and answers the bench over IPC.
 */
export async function servePlain(
  server: Server,
  stats: TrafficStats,
  log: BroadcastLog,
  openSockets: () => number,
  close: () => Promise<void>,
) {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  stats.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const report = () => ({
    ...stats.snapshot(),
    openSockets: openSockets(),
    broadcasts: log.timings.splice(0),
    broker: { published: [], received: log.handedOver.splice(0) },
  });
  serveBench(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, report, close);
}
