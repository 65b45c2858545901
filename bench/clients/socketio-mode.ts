/**
 * The Socket.IO rival's clients: socket.io-client 4.8, websocket transport only, on the bench's counted `ws` class
 * (ClientContext.WebSocket), so its sockets are counted like ours. It hands the runner the same messages our
 * socket client does, and on a reconnect asks for what came after the last id it has (Socket.IO's `auth`).
 */
import { io, NodeWebSocket } from "socket.io-client";
import type { Message } from "../../shared/protocol.ts";
import { BENCH_MODES, type BenchMode, type ClientContext } from "./modes.ts";
import { SOCKETIO_EVENTS } from "../core/socketio-events.ts";

/** engine.io-client's Node transport, opening its socket with the runner's counted class. */
function countedTransport(context: ClientContext) {
  return class extends NodeWebSocket {
    override createSocket(uri: string, protocols: string | string[] | undefined) {
      return new context.WebSocket(uri, protocols);
    }
  };
}

/** Our WebSocket mode: the one the rival stands in for (found by what modes.ts says, not by its name). */
export const OUR_SOCKET_MODE: BenchMode = Object.values(BENCH_MODES).find((mode) => mode.socket)!;

export const SOCKETIO_MODE: BenchMode = {
  name: "socket.io",
  socket: true,
  usesInterval: false,
  page: () => {
    throw new Error("the Socket.IO rival runs simulated clients only");
  },
  start(context) {
    let lastId = 0;
    let ready!: () => void;
    const warm = new Promise<void>((resolve) => (ready = resolve));
    const receive = (message: Message) => {
      lastId = Math.max(lastId, message.id);
      context.receive(message);
    };
    const socket = io(context.baseUrl, {
      transports: [countedTransport(context)],
      auth: (send) => send({ since: lastId }),
    });
    socket.on(SOCKETIO_EVENTS.history, (messages: Message[]) => {
      for (const message of messages) receive(message);
      ready();
    });
    socket.on(SOCKETIO_EVENTS.message, receive);
    return { ready: warm, stop: () => socket.disconnect() };
  },
};
