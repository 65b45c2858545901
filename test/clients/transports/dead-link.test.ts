import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket as WsWebSocket, WebSocketServer } from "ws";
import { SILENCE_TIMEOUT_MS, watchSilence } from "../../../clients/transports/dead-link.ts";
import { connect } from "../../../clients/transports/socket.ts";
import { HEARTBEAT_INTERVAL_MS } from "../../../server/limits/waiting-limits.ts";
import { useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

afterEach(() => vi.useRealTimers());

describe("watchSilence()", () => {
  it(`SILENCE_TIMEOUT_MS (${SILENCE_TIMEOUT_MS}) outlasts two server heartbeats (HEARTBEAT_INTERVAL_MS = ${HEARTBEAT_INTERVAL_MS})`, () => {
    expect(SILENCE_TIMEOUT_MS).toBeGreaterThan(2 * HEARTBEAT_INTERVAL_MS);
  });

  it("calls onDead after the timeout without heard(), not before; heard() restarts the wait", () => {
    vi.useFakeTimers();
    const onDead = vi.fn();
    const watch = watchSilence(onDead, 1000);
    vi.advanceTimersByTime(900);
    watch.heard();
    vi.advanceTimersByTime(900);
    expect(onDead).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onDead).toHaveBeenCalledTimes(1);
    watch.stop();
  });
});

const asBrowserWebSocket = WsWebSocket as unknown as typeof WebSocket;

describe("connect() and a dead link", () => {
  it("a server that accepted the socket but went silent (no close ever comes): the client gives up and reconnects", async () => {
    // A server that upgrades and then says nothing: what a browser sees when the link died without a FIN.
    const silent = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    let connections = 0;
    silent.on("connection", () => connections++);
    await new Promise((resolve) => silent.once("listening", resolve));
    const statuses: string[] = [];
    const client = connect({
      baseUrl: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      WebSocket: asBrowserWebSocket,
      onMessage: () => {},
      onStatus: (status) => statuses.push(status),
      silenceTimeout: 150,
    });
    await waitFor(() => connections >= 2, { what: "a second connection" });
    expect(statuses.slice(0, 2)).toEqual(["open", "closed"]);
    client.close();
    for (const ws of silent.clients) ws.terminate();
    await new Promise((resolve) => silent.close(resolve));
  });

  describe("a live server with heartbeats (100 ms here)", () => {
    const server = useServer({ heartbeatInterval: 100 });
    it("keeps the one socket open while heartbeats arrive, even through a quiet chat", async () => {
      const statuses: string[] = [];
      const client = connect({
        baseUrl: server().url.replace(/^http/, "ws"),
        WebSocket: asBrowserWebSocket,
        onMessage: () => {},
        onStatus: (status) => statuses.push(status),
        silenceTimeout: 350,
      });
      await waitFor(() => statuses.includes("open"), { what: "open" });
      const upgradesBefore = server().stats.upgrades;
      // Count-based: stay through 10 heartbeat periods (1 s) — several silence timeouts' worth with no chat message.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(statuses).toEqual(["open"]);
      expect(server().stats.upgrades).toBe(upgradesBefore);
      client.close();
    });
  });
});
