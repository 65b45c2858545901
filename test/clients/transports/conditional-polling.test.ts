import { describe, expect, it } from "vitest";
import { startConditionalPolling } from "../../../clients/transports/conditional-polling.ts";
import type { Message } from "../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

/** Real fetch, recording what was asked (with If-None-Match) and what came back. */
function recordingFetch() {
  const exchanges: { url: string; ifNoneMatch: string | null; status: number }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    exchanges.push({
      url: String(input),
      ifNoneMatch: new Headers(init?.headers).get("If-None-Match"),
      status: response.status,
    });
    return response;
  };
  return { fetch: fetchImpl, exchanges };
}

describe("startConditionalPolling against a real server", () => {
  const server = useServer();

  it("sends the last ETag, reads 304 as nothing new, and still gets each new message once", async () => {
    const recorder = recordingFetch();
    const batches: Message[][] = [];
    const stop = startConditionalPolling({
      baseUrl: server().url,
      interval: 30,
      fetch: recorder.fetch,
      onMessages: (m) => batches.push(m),
    });
    try {
      await waitFor(() => recorder.exchanges.some((e) => e.status === 304), { what: "a 304" });
      const text = uniqueText("conditional");
      await postMessage(server().url, { user: "t", text });
      await waitFor(() => batches.flat().some((m) => m.text === text), { what: "the new message" });
      await waitFor(() => recorder.exchanges.filter((e) => e.status === 304).length >= 2, { what: "304s after it" });
    } finally {
      stop();
    }
    const first = recorder.exchanges[0]!;
    expect(first.ifNoneMatch).toBeNull();
    const notModified = recorder.exchanges.filter((e) => e.status === 304);
    expect(notModified.every((e) => e.ifNoneMatch !== null)).toBe(true);
    const ids = batches.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // A 304 reaches the loop as an empty batch.
    expect(batches.filter((b) => b.length === 0).length).toBeGreaterThanOrEqual(notModified.length);
  });
});
