import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { SHUTDOWN_DEADLINE_MS, SOCKET_CLOSE_GRACE_MS } from "../../../server/limits/connection-limits.ts";
import { stopOnSignals } from "../../../server/node/shutdown.ts";
import { closeSockets } from "../../../server/node/socket-lifecycle.ts";
import { waitFor } from "../../support/wait.ts";

function harness(close: () => Promise<void>, deadlineMs?: number) {
  const exits: number[] = [];
  const errors: unknown[] = [];
  const stop = stopOnSignals(close, {
    signals: [],
    deadlineMs,
    exit: (code) => exits.push(code),
    log: () => {},
    error: (e) => errors.push(e),
  });
  return { stop, exits, errors };
}

describe("stopOnSignals()", () => {
  it("closes, then exits 0", async () => {
    let closed = false;
    const { stop, exits } = harness(async () => void (closed = true));
    stop("SIGTERM");
    await waitFor(() => exits.length > 0, { what: "exit" });
    expect(closed).toBe(true);
    expect(exits).toEqual([0]);
  });

  it(`a close that never finishes: exit 1 at the deadline (SHUTDOWN_DEADLINE_MS = ${SHUTDOWN_DEADLINE_MS}; 100 ms here)`, async () => {
    const { stop, exits, errors } = harness(() => new Promise(() => {}), 100);
    stop("SIGINT");
    await waitFor(() => exits.length > 0, { what: "the forced exit" });
    expect(exits).toEqual([1]);
    expect(String(errors[0])).toContain("still closing after 100 ms");
  });

  it("a second signal exits at once with 1", () => {
    const { stop, exits } = harness(() => new Promise(() => {}), 60_000);
    stop("SIGINT");
    stop("SIGINT");
    expect(exits).toEqual([1]);
  });

  it("a failing close exits 1 and says why", async () => {
    const { stop, exits, errors } = harness(async () => {
      throw new Error("disk gone");
    });
    stop("SIGTERM");
    await waitFor(() => exits.length > 0, { what: "exit" });
    expect(exits).toEqual([1]);
    expect(String(errors[0])).toContain("disk gone");
  });
});

describe(`closeSockets(): SOCKET_CLOSE_GRACE_MS = ${SOCKET_CLOSE_GRACE_MS}`, () => {
  it("a socket that answers the close gets 1001; one that does not is cut once the grace period is over", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((resolve) => wss.once("listening", resolve));
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const open = async () => {
      const ws = new WebSocket(url);
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      await new Promise((resolve) => ws.once("open", resolve));
      return { ws, closed };
    };
    const polite = await open();
    const deaf = await open();
    (deaf.ws as unknown as { _socket: Socket })._socket.pause(); // never reads the close frame, so never answers it
    await waitFor(() => wss.clients.size === 2, { what: "both accepted" });

    const start = performance.now();
    await closeSockets(wss.clients, 1001, "server is shutting down");
    expect(performance.now() - start).toBeGreaterThanOrEqual(SOCKET_CLOSE_GRACE_MS - 20); // it waited for the deaf one…
    expect(await polite.closed).toBe(1001);
    // …then cut it: gone well before ws's own 30 s close timeout would have ended it.
    await waitFor(() => wss.clients.size === 0, { what: "every server-side socket closed", timeoutMs: 5000 });
    (deaf.ws as unknown as { _socket: Socket })._socket.resume();
    await deaf.closed; // it reads the 1001 that was sent before the cut, and is closed too
    await new Promise((resolve) => wss.close(resolve));
  });
});
