import { describe, expect, it } from "vitest";
import { nodeSockets } from "../../../server/node/socket-lifecycle.ts";
import { isMessageFrame, type ServerFrame } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

describe("prebuiltFrames(): the Node edge's send for broadcasts", () => {
  const server = useServer();

  it("writes the broadcast as one pre-built frame, not through ws's send, and every client reads it in order", async () => {
    const clients = [await SocketClient.open(server().url), await SocketClient.open(server().url)];
    for (const client of clients) await client.waitForFrame((frame) => "epoch" in frame);
    await waitFor(() => server().hub.sockets.size === 2, { what: "both sockets in the hub" });
    let sends = 0;
    for (const ws of nodeSockets(server().hub)) {
      const send = ws.send.bind(ws);
      ws.send = ((...args: Parameters<typeof send>) => (sends++, send(...args))) as typeof ws.send;
    }
    const texts = [uniqueText("one"), uniqueText("two")];
    for (const text of texts) await postMessage(server().url, { user: "t", text });
    for (const client of clients) {
      await client.waitForFrame((f: ServerFrame) => isMessageFrame(f) && f.text === texts[1]);
      expect(client.messages.map((m) => m.text).slice(-2)).toEqual(texts);
    }
    expect(sends).toBe(0);
    for (const client of clients) await client.close();
  });
});
