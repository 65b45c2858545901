import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat/chat-factory.ts";
import { CLASS_PATHS, type ClassNumbers } from "../../../shared/classroom.ts";

// The stand-in for TrafficStats.byTransport(): requests and empty answers by transport, from the route and how it
// asks; the class view's own readings are in no count.
describe("standInTransportTotals (through GET /class/numbers)", () => {
  it("counts each transport's requests and empty answers, and not the class view's readings", async () => {
    const { app } = createApp({ chat: await createChat() });
    await app.request("/messages?since=1"); // polling, empty
    await app.request("/messages"); // the slides' naive loop: everything, never empty
    const first = await app.request("/messages?since=0");
    await app.request("/messages?since=0", { headers: { "if-none-match": first.headers.get("etag")! } }); // 304
    for (let i = 0; i < 3; i++) await app.request(CLASS_PATHS.numbers);
    const { transports } = (await (await app.request(CLASS_PATHS.numbers)).json()) as ClassNumbers;
    expect(transports.polling).toMatchObject({ requests: 2, emptyAnswers: 1 });
    expect(transports.naive).toMatchObject({ requests: 1, emptyAnswers: 0 });
    expect(transports.conditional).toMatchObject({ requests: 1, emptyAnswers: 1 });
    expect(transports.socket.requests + transports.sse.requests + transports.longpoll.requests).toBe(0);
  });
});
