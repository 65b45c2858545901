import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, WebSocket as WsWebSocket } from "ws";
import { connect, naiveConnect } from "../../../clients/transports/socket.ts";
import { nodeSockets } from "../../../server/node/socket-lifecycle.ts";
import type { Message } from "../../../shared/protocol.ts";
import { getMessages, postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

// The browser's `connect()`, run in Node with `ws` standing in for the browser's WebSocket, against a real server.
const server = useServer();
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function client(open: typeof connect = connect) {
  const received: Message[] = [];
  const errors: string[] = [];
  const statuses: string[] = [];
  const socket = open({
    baseUrl: server().url.replace(/^http/, "ws"),
    WebSocket: WsWebSocket as unknown as typeof WebSocket,
    onMessage: (message) => received.push(message),
    onError: (error) => errors.push(error),
    onStatus: (status) => statuses.push(status),
  });
  stops.push(() => socket.close());
  return { socket, received, errors, statuses };
}

const has = (received: Message[], text: string) => received.some((m) => m.text === text);

// The slides' connect() and the hardened one behave the same while the link holds.
describe.each([
  ["connect()", connect],
  ["naiveConnect()", naiveConnect],
])("%s", (_name, open) => {
  it("receives the history, then live messages; send() posts", async () => {
    const { socket, received, statuses } = client(open);
    await waitFor(() => statuses.includes("open"), { what: "open" });
    await waitFor(() => received.length > 0, { what: "history" });
    expect(received[0]).toMatchObject({ id: 1, text: "first message" });

    const posted = uniqueText("posted");
    await postMessage(server().url, { user: "http", text: posted });
    await waitFor(() => has(received, posted), { what: "the posted message" });

    const sent = uniqueText("sent");
    socket.send({ user: "socket", text: sent });
    await waitFor(() => has(received, sent), { what: "its own message" });
    expect((await getMessages(server().url)).some((m) => m.text === sent && m.user === "socket")).toBe(true);
  });

  it("reports error frames for bad input", async () => {
    const { socket, errors, statuses } = client(open);
    await waitFor(() => statuses.includes("open"), { what: "open" });
    socket.send({ user: "a", text: "" });
    await waitFor(() => errors.length > 0, { what: "an error frame" });
    expect(errors).toEqual(["empty-text"]); // the code: the page words it in its reader's language
  });
});

describe("connect()", () => {
  it("after the server drops it, reconnects and resumes: what was missed arrives, nothing twice", async () => {
    const { received, statuses } = client();
    await waitFor(() => received.length > 0 && statuses.includes("open"), { what: "history" });
    const before = uniqueText("before the drop");
    await postMessage(server().url, { user: "http", text: before });
    await waitFor(() => has(received, before), { what: "the message before the drop" });

    for (const socket of nodeSockets(server().hub)) socket.terminate();
    await waitFor(() => statuses.includes("closed"), { what: "the client to notice the drop" });
    const during = uniqueText("while disconnected");
    await postMessage(server().url, { user: "http", text: during });

    await waitFor(() => statuses.filter((s) => s === "open").length === 2, { what: "the reconnect" });
    await waitFor(() => has(received, during), { what: "the missed message" });
    const after = uniqueText("after the reconnect");
    await postMessage(server().url, { user: "http", text: after });
    await waitFor(() => has(received, after), { what: "a live message after the reconnect" });

    const ids = received.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual((await getMessages(server().url)).map((m) => m.id).filter((id) => id <= ids.at(-1)!));
  });

  it("close() stops it for good: no reconnect", async () => {
    const { socket, statuses } = client();
    await waitFor(() => statuses.includes("open"), { what: "open" });
    socket.close();
    await waitFor(() => statuses.includes("closed"), { what: "closed" });
    const upgrades = server().stats.upgrades;
    await new Promise((resolve) => setTimeout(resolve, 600)); // longer than the first reconnect delay (250 ms)
    expect(server().stats.upgrades).toBe(upgrades);
  });

  it("passes over frames that are not a message (heartbeat, handshake, a future one) and goes on", async () => {
    // A server of its own, to send frames the chat server sends only on request (or not yet at all).
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((resolve) => wss.once("listening", resolve));
    stops.push(() => wss.close());
    const message: Message = { id: 7, user: "ada", text: "after the unknown frames", sentAt: 0 };
    wss.on("connection", (ws) => {
      ws.send(JSON.stringify({ request: [], response: [] }));
      ws.send(JSON.stringify({ heartbeat: true }));
      ws.send(JSON.stringify({ somethingNew: { id: 3 } }));
      ws.send(JSON.stringify(message));
    });
    const received: Message[] = [];
    const socket = connect({
      baseUrl: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
      WebSocket: WsWebSocket as unknown as typeof WebSocket,
      onMessage: (m) => received.push(m),
    });
    stops.push(() => socket.close());
    await waitFor(() => received.length === 1, { what: "the message after the unknown frames" });
    expect(received).toEqual([message]);
  });
});

// The slides' connect(), beside the hardened one: what reconnect-and-resume adds.
describe("naiveConnect()", () => {
  it("after the server drops it, stays closed: no reconnect, and what is posted meanwhile never arrives", async () => {
    const { received, statuses } = client(naiveConnect);
    await waitFor(() => statuses.includes("open") && received.length > 0, { what: "open, with the history" });
    for (const socket of nodeSockets(server().hub)) socket.terminate();
    await waitFor(() => statuses.includes("closed"), { what: "the client to notice the drop" });
    const upgrades = server().stats.upgrades;
    const missed = uniqueText("while disconnected");
    await postMessage(server().url, { user: "http", text: missed });
    await new Promise((resolve) => setTimeout(resolve, 600)); // connect() would have reconnected by now (250 ms)
    expect(server().stats.upgrades).toBe(upgrades);
    expect(statuses).toEqual(["open", "closed"]);
    expect(has(received, missed)).toBe(false);
  });
});
