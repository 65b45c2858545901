import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { PATHS, type PaneTotalsBody } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

// Each pane's bytes, as the server gives them out at its TCP sockets, against what the client's own socket counted.
const server = useServer({ sse: { keepAliveMs: 60_000 } });

/** One keep-alive TCP connection speaking HTTP/1.1 by hand, counting every byte it writes and reads. */
class RawClient {
  written = 0;
  read = 0;
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;
  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.read += chunk.length;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    return new RawClient(socket);
  }

  /** Sends one request, waits for its whole answer (Content-Length; none for a 304); returns the bytes each way. */
  async exchange(method: string, target: string, headers: Record<string, string> = {}, body = "") {
    const before = { written: this.written, read: this.read };
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${this.socket.remotePort}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    if (body) lines.push("Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`);
    const request = `${lines.join("\r\n")}\r\n\r\n${body}`;
    this.written += Buffer.byteLength(request);
    this.socket.write(request);
    const status = await new Promise<number>((resolve) => {
      const check = () => {
        const end = this.buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = this.buffer.subarray(0, end).toString();
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buffer.length < end + 4 + length) return;
        this.buffer = this.buffer.subarray(end + 4 + length);
        this.waiting = undefined;
        resolve(Number(head.split(" ")[1]));
      };
      this.waiting = check;
      check();
    });
    return { status, bytesIn: this.written - before.written, bytesOut: this.read - before.read };
  }
}

async function totals(id: string): Promise<PaneTotalsBody> {
  const response = await fetch(`${server().url}${PATHS.paneStats}/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as PaneTotalsBody;
}

describe("bytes by pane, at the server's sockets", () => {
  it("gives each exchange on a keep-alive connection to its own pane, and nobody's to nobody", async () => {
    const client = await RawClient.open(server().port);
    const first = await client.exchange("GET", "/messages?since=0&p=kpa001.polling");
    const other = await client.exchange("GET", "/time"); // the page's own request: no pane's
    const empty = await client.exchange("GET", "/messages?since=999999&p=kpa001.polling");
    const post = await client.exchange("POST", "/messages?p=kpa001.polling", {}, '{"user":"t","text":"hello"}');
    const elsewhere = await client.exchange("GET", "/messages?since=999999&p=kpb002.conditional");
    expect([first.status, other.status, empty.status, post.status, elsewhere.status]).toEqual([
      200, 200, 200, 201, 200,
    ]);

    const pane = await totals("kpa001");
    expect(pane).toMatchObject({
      transport: "polling",
      requests: 3,
      emptyAnswers: 1,
      bytesIn: first.bytesIn + empty.bytesIn + post.bytesIn,
      bytesOut: first.bytesOut + empty.bytesOut + post.bytesOut,
      bytesCounted: true,
      proxied: false,
      ports: [client.socket.localPort],
    });
    expect(await totals("kpb002")).toMatchObject({
      requests: 1,
      bytesIn: elsewhere.bytesIn,
      bytesOut: elsewhere.bytesOut,
    });
    expect(pane.bytesIn).toBeGreaterThan(first.bytesIn + empty.bytesIn); // the POST, head and body
    client.socket.destroy();
  });

  it("a WebSocket's upgrade, 101 and frames both ways are its pane's, as its client counted them", async () => {
    const ws = new WebSocket(`${server().url.replace("http", "ws")}/ws?since=0&p=kws003.socket`);
    await new Promise((resolve) => ws.once("message", resolve)); // the history
    ws.send(JSON.stringify({ user: "t", text: "over the socket" }));
    await new Promise((resolve) => ws.once("message", resolve)); // its echo
    const raw = (ws as unknown as { _socket: Socket })._socket;
    // Open: what it carried so far is read live.
    const open = await waitFor(
      async () => {
        const now = await totals("kws003");
        return now.bytesOut === raw.bytesRead && now.bytesIn === raw.bytesWritten && now;
      },
      { what: "the open socket's bytes" },
    );
    expect(open).toMatchObject({ transport: "socket", requests: 1 });
    const byTransport = server().stats.byTransport().socket;
    expect(byTransport.clients).toBeGreaterThanOrEqual(1);
    ws.close();
    await new Promise((resolve) => ws.once("close", resolve));
    await waitFor(
      async () => {
        const closed = await totals("kws003");
        return closed.bytesOut === raw.bytesRead && closed.bytesIn === raw.bytesWritten;
      },
      { what: "the close frames counted too" },
    );
  });

  it("an SSE stream's head, history and events are its pane's while it stays open", async () => {
    const client = await RawClient.open(server().port);
    const request = `GET /events?p=kss004.sse HTTP/1.1\r\nHost: 127.0.0.1:${server().port}\r\n\r\n`;
    client.written += request.length;
    client.socket.write(request);
    await waitFor(() => client.read > 0, { what: "the stream's head" });
    await fetch(`${server().url}/messages`, { method: "POST", body: '{"user":"t","text":"to the stream"}' });
    await waitFor(
      async () => {
        const now = await totals("kss004");
        return now.bytesOut === client.read && now.bytesIn === client.written && now.requests === 1;
      },
      { what: "the stream's bytes so far" },
    );
    client.socket.destroy();
  });

  it("says the bytes are as the server saw them when a proxy's headers or another Host port come in", async () => {
    const client = await RawClient.open(server().port);
    await client.exchange("GET", "/messages?p=kpx005.naive", { Via: "1.1 proxy" });
    expect((await totals("kpx005")).proxied).toBe(true);
    const socket = client.socket;
    const wrongHost = `GET /messages?p=kpx006.naive HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n`;
    socket.write(wrongHost);
    await waitFor(async () => (await fetch(`${server().url}${PATHS.paneStats}/kpx006`)).ok, { what: "the pane" });
    expect((await totals("kpx006")).proxied).toBe(true);
    socket.destroy();
  });

  it("never rejects a request for its ?p=, and attributes a malformed one to nobody", async () => {
    for (const tag of ["x", "kbad07.nosuch", "../../etc", "KBAD08.polling"]) {
      const response = await fetch(`${server().url}/messages?since=0&p=${encodeURIComponent(tag)}`);
      expect(response.status, tag).toBe(200);
    }
    expect((await fetch(`${server().url}${PATHS.paneStats}/kbad07`)).status).toBe(404);
    expect((await fetch(`${server().url}/messages/wait?since=0&p=kbad09.longpoll`)).status).toBe(200);
    expect(
      (await fetch(`${server().url}/events?p=kbad10.sse`, { signal: AbortSignal.timeout(300) }).catch(() => null))
        ?.status ?? 200,
    ).toBe(200);
  });

  it("leaves the panes' readings out of every count, and reports what they cost apart", async () => {
    await fetch(`${server().url}/messages?since=0&p=krd011.polling`);
    const before = await totals("krd011");
    const readings = server().stats.snapshot().paneReadings.requests;
    await totals("krd011");
    const after = await totals("krd011");
    expect(after).toEqual(before);
    const snapshot = server().stats.snapshot();
    expect(snapshot.paneReadings.requests).toBe(readings + 2);
    expect(snapshot.paneReadings.bytesOut).toBeGreaterThan(0);
    expect(Object.keys(snapshot.requests).some((label) => label.includes(PATHS.paneStats))).toBe(false);
  });

  it("GET /stats has the per-transport totals under `transports`, every transport listed", async () => {
    const stats = (await (await fetch(`${server().url}/stats`)).json()) as {
      transports: Record<string, Record<string, number>>;
    };
    expect(Object.keys(stats.transports).sort()).toEqual([
      "conditional",
      "longpoll",
      "naive",
      "naive-socket",
      "polling",
      "socket",
      "sse",
    ]);
    expect(stats.transports.polling).toMatchObject({
      requests: expect.any(Number),
      bytesIn: expect.any(Number),
      clients: expect.any(Number),
    });
    expect(stats.transports.polling!.bytesIn).toBeGreaterThan(0);
  });
});
