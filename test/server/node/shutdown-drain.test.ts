import { describe, expect, it } from "vitest";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../../server/limits/connection-limits.ts";
import { startServer } from "../../../server/node/node-server.ts";
import { waitFor } from "../../support/wait.ts";

// A real server: on close(), what the transports answer at shutdown must reach the clients, not be cut mid-write.
describe("close() lets shutdown answers reach their clients", () => {
  it("a held long poll gets 200 [] and an event stream ends cleanly after its events", async () => {
    const running = await startServer({ port: 0, hostname: "127.0.0.1" });
    const poll = fetch(`${running.url}/messages/wait?since=1`).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
    const stream = fetch(`${running.url}/events`).then((r) => r.text());
    await waitFor(() => running.longPolls.held.size === 1 && running.sseStreams.streams.size === 1, {
      what: "a held poll and a stream",
    });
    const started = Date.now();
    await running.close();
    expect(await poll).toEqual({ status: 200, body: "[]" });
    expect(await stream).toMatch(/^retry: \d+\n\nid: [0-9a-f]{12}-1\ndata: \{.*"first message".*\}\n\n$/);
    // It does not wait out keep-alive connections (a ceiling a loaded machine cannot reach by accident).
    expect(Date.now() - started).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
  });
});
