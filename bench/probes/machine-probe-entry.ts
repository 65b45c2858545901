/**
 * The other process of machine-probe.ts: the least counterpart a round trip or a broadcast can have, so what the
 * probe measures is the machine (loopback, system calls, waking an idle process), not any server's code.
 * Plain node:http + ws on 127.0.0.1, port 0:
 * - `GET` anything: 200 with a two-byte body (keep-alive, node:http's default).
 * - `/echo`: a WebSocket that sends back every frame it gets.
 * - `/sink`: WebSockets that only receive; on `broadcast` over IPC one pre-built frame is written to each one's TCP
 *   connection in a loop, as our hub does (server/transports/socket-hub.ts SocketHub.broadcast), and the loop is timed.
 * It exits when the probe disconnects (or dies), so it never outlives it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { textFrame } from "../../server/node/text-frame.ts";
import { ECHO_PATH, SINK_PATH, type FromProbeServer, type ToProbeServer } from "./machine-probe.ts";
import { epochNow } from "../clients/publisher.ts";
import { timeBroadcast } from "../servers/server-ipc.ts";

/** The sinks' TCP connections, where a broadcast writes its frame. */
const sinks = new Set<Duplex>();

const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket: Duplex, head) => {
  const path = new URL(req.url!, "http://probe").pathname;
  if (path !== ECHO_PATH && path !== SINK_PATH) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (path === ECHO_PATH) return ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    sinks.add(socket);
    ws.on("close", () => sinks.delete(socket));
  });
});

process.on("message", (command: ToProbeServer) => {
  if (command.type !== "broadcast") return;
  // Built once, before the clock starts: what is timed is the writes (no extension is negotiated, so these bytes are
  // the whole frame, as in the hub).
  const frame = textFrame(Buffer.from(String(command.round)));
  const startedAt = epochNow();
  const timing = timeBroadcast(sinks.size, () => {
    for (const connection of sinks) connection.write(frame);
  });
  process.send!({ type: "broadcast", round: command.round, startedAt, ...timing } satisfies FromProbeServer);
});
process.on("disconnect", () => process.exit(0));

await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
process.send!({
  type: "ready",
  url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
} satisfies FromProbeServer);
