import { describe, expect, it } from "vitest";
import { CLASS_PATHS, type ClassNumbers } from "../../../shared/class-protocol.ts";
import { PANE_PARAM, PATHS } from "../../../shared/protocol.ts";
import { NEW_CHAT_MESSAGE } from "../../../server/chat/chat.ts";
import { getMessages, postMessage, uniqueText, useServer } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

// A new chat, as the teacher's button starts it: history and the class view's counters cleared, ids going on, and
// the clients already open (a socket, a long poll, a poller) receive what comes next without reloading.
const server = useServer();
const post = (path: string, body: object) =>
  fetch(`${server().url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const numbers = async () => (await (await fetch(`${server().url}${CLASS_PATHS.numbers}`)).json()) as ClassNumbers;

describe("POST /class/new-chat", () => {
  it("clears the history and the counters; ids go on; open socket, long-poll and poll clients keep receiving", async () => {
    const before = await postMessage(server().url, { user: "ada", text: uniqueText("old") });
    // One empty poll from a polling pane (its `?p=` tag says which transport it is): counted.
    await fetch(`${server().url}${PATHS.messages}?since=${before.id}&${PANE_PARAM}=newchat.polling`).then((r) =>
      r.text(),
    );
    expect((await numbers()).transports.polling.requests).toBeGreaterThan(0);
    const socket = await SocketClient.open(server().url, `?since=${before.id}`);
    const held = fetch(`${server().url}/messages/wait?since=${before.id}`).then((response) => response.json());
    await waitFor(() => server().longPolls.held.size === 1 || undefined, { what: "the long poll to be held" });

    const answer = await post(CLASS_PATHS.newChat, {});
    expect(answer.status).toBe(200);
    const history = await getMessages(server().url);
    expect(history).toEqual([expect.objectContaining({ id: before.id + 1, ...NEW_CHAT_MESSAGE })]);
    expect(await held).toEqual(history); // the held poll is answered with it
    const after = await numbers();
    expect(after.chatNumber).toBe(1);
    expect(after.transports.polling.requests).toBe(0);

    // The poller asks from its last id as always, and the new messages' ids are above it.
    const next = await postMessage(server().url, { user: "ada", text: uniqueText("new") });
    expect(next.id).toBe(before.id + 2);
    expect((await getMessages(server().url, before.id)).map((m) => m.id)).toEqual([before.id + 1, next.id]);
    await waitFor(() => socket.messages.some((m) => m.id === next.id) || undefined, { what: "the socket to get it" });
    expect(socket.messages.map((m) => m.id)).toEqual([before.id + 1, next.id]);
    socket.socket.close();
  });

  it("starts the bot's numbering again at #1", async () => {
    server().bot.sequence = 17;
    await post(CLASS_PATHS.newChat, {});
    expect(server().bot.nextText()).toMatch(/^#1 /);
  });
});
