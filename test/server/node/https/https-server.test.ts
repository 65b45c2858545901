import { mkdtempSync, rmSync } from "node:fs";
import { connect as http2Connect, type IncomingHttpHeaders } from "node:http2";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { EventSource } from "eventsource";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocket as WsWebSocket } from "ws";
import { tlsFetch } from "../../../../bench/clients/tls-client.ts";
import { startLongPolling } from "../../../../clients/transports/long-polling.ts";
import { startPolling } from "../../../../clients/transports/polling.ts";
import { listen } from "../../../../clients/transports/sse.ts";
import { selfSignedCertificate, type TlsCredentials } from "../../../../server/node/https/tls-certificate.ts";
import { MAX_HEADER_BYTES, MAX_STREAMS_PER_CONNECTION } from "../../../../server/limits/connection-limits.ts";
import { isMessageFrame, type Message, type ServerFrame } from "../../../../shared/protocol.ts";
import { postMessage, uniqueText, useServer } from "../../../support/server.ts";
import { waitFor } from "../../../support/wait.ts";

const dir = mkdtempSync(join(tmpdir(), "chat-https-"));
const credentials: TlsCredentials = await selfSignedCertificate(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const server = useServer({ https: { port: 0, credentials } });
const secure = () => server().secure!;

/** The protocol the server chose by ALPN for a client that offers `protocols`. */
function negotiate(protocols: string[]): Promise<string | false | null> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: secure().port,
      ca: credentials.cert,
      servername: "localhost",
      ALPNProtocols: protocols,
    });
    socket.once("secureConnect", () => {
      resolve(socket.alpnProtocol);
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

/** One request over node:http2, with the response's headers and body. */
async function h2Get(path: string, readFor?: number): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  const session = http2Connect(secure().url, { ca: credentials.cert, servername: "localhost" });
  try {
    const stream = session.request({ ":path": path });
    const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) =>
      stream.once("response", resolve).once("error", reject),
    );
    let body = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    await (readFor === undefined
      ? new Promise((resolve) => stream.once("end", resolve))
      : new Promise((r) => setTimeout(r, readFor)));
    return { headers, body };
  } finally {
    session.destroy();
  }
}

/** RFC 9113 §8.2.2: an HTTP/2 response carrying any of these is malformed, and browsers drop it. */
const CONNECTION_SPECIFIC = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

describe("the TLS port (npm start -- --https)", () => {
  it("answers h2 to a client that offers it, http/1.1 to one that offers only that", async () => {
    expect(await negotiate(["h2", "http/1.1"])).toBe("h2");
    expect(await negotiate(["http/1.1", "h2"])).toBe("h2"); // the server's preference: undici offers http/1.1 first
    expect(await negotiate(["http/1.1"])).toBe("http/1.1");
    const version = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(`${secure().url}/messages`, { ca: credentials.cert, servername: "localhost" }, (res) => {
        res.resume().once("end", () => resolve(`${res.httpVersion} ${res.statusCode}`));
      });
      req.once("error", reject).end();
    });
    expect(version).toBe("1.1 200");
  });

  it("serves the same chat as the plain port: a message posted on one is read on the other", async () => {
    const text = uniqueText("over tls");
    const client = tlsFetch("h2", credentials.cert);
    try {
      const posted = (await (
        await client.fetch(`${secure().url}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user: "h2", text }),
        })
      ).json()) as Message;
      const plain = (await (await fetch(`${server().url}/messages?since=${posted.id - 1}`)).json()) as Message[];
      expect(plain.map((m) => m.text)).toEqual([text]);
    } finally {
      await client.close();
    }
  });

  it("a Node client over h2 polls, long-polls and streams SSE, with the browser's client modules", async () => {
    const before = secure().protocols.h2 ?? 0;
    const clients = [
      tlsFetch("h2", credentials.cert),
      tlsFetch("h2", credentials.cert),
      tlsFetch("h2", credentials.cert),
    ];
    const polled: Message[] = [];
    const longPolled: Message[] = [];
    const streamed: Message[] = [];
    const stops = [
      startPolling({
        baseUrl: secure().url,
        interval: 50,
        fetch: clients[0]!.fetch,
        onMessages: (m) => polled.push(...m),
      }),
      startLongPolling({ baseUrl: secure().url, fetch: clients[1]!.fetch, onMessages: (m) => longPolled.push(...m) }),
      listen({
        baseUrl: secure().url,
        EventSource: class extends EventSource {
          constructor(url: string) {
            super(url, { fetch: clients[2]!.fetch });
          }
        },
        onMessage: (m) => streamed.push(m),
      }),
    ];
    try {
      await waitFor(() => polled.length > 0 && longPolled.length > 0 && streamed.length > 0);
      const text = uniqueText("pushed over h2");
      await postMessage(server().url, { user: "t", text });
      for (const received of [polled, longPolled, streamed]) await waitFor(() => received.some((m) => m.text === text));
      expect((secure().protocols.h2 ?? 0) - before).toBe(3); // one connection each, all h2
    } finally {
      for (const stop of stops) stop();
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it("long poll and SSE answers over h2 carry no connection-specific header", async () => {
    const last = (await (await fetch(`${server().url}/messages`)).json()) as Message[];
    const wait = await h2Get(`/messages/wait?since=${last[last.length - 1]!.id - 1}`);
    const events = await h2Get("/events", 300);
    expect(wait.headers[":status"]).toBe(200);
    expect(events.headers[":status"]).toBe(200);
    expect(events.headers["content-type"]).toBe("text/event-stream");
    expect(events.body).toContain("retry:");
    for (const name of CONNECTION_SPECIFIC) {
      expect(wait.headers[name]).toBeUndefined();
      expect(events.headers[name]).toBeUndefined();
    }
  });

  it("the origin guard knows its own origin over h2, where :authority replaces the Host header", async () => {
    const session = http2Connect(secure().url, { ca: credentials.cert, servername: "localhost" });
    const status = async (origin: string) => {
      // As a browser sends it: :authority is the URL's host, the same as its Origin's.
      const stream = session.request({ ":path": "/events", ":authority": new URL(secure().url).host, origin });
      const headers = await new Promise<IncomingHttpHeaders>((resolve) => stream.once("response", resolve));
      stream.close();
      return headers[":status"];
    };
    try {
      expect(await status(secure().url)).toBe(200);
      expect(await status("https://evil.example")).toBe(403);
    } finally {
      session.destroy();
    }
  });

  it("the WebSocket works over wss:// and joins the same hub", async () => {
    const socket = new WsWebSocket(`${secure().url.replace("https", "wss")}/ws`, { ca: credentials.cert });
    const frames: ServerFrame[] = [];
    socket.on("message", (data) => frames.push(JSON.parse(String(data))));
    try {
      await waitFor(() => frames.some((f) => "epoch" in f));
      const text = uniqueText("to wss");
      await postMessage(server().url, { user: "t", text });
      await waitFor(() => frames.some((f) => isMessageFrame(f) && f.text === text));
    } finally {
      socket.close();
    }
  });

  it("counts the TLS port's bytes at its TCP sockets: more than the plaintext, handshake included", async () => {
    const stats = async () =>
      (await (await fetch(`${server().url}/stats`)).json()) as { bytesRead: number; bytesWritten: number };
    const before = await stats();
    const { body } = await h2Get("/messages?since=0");
    const after = await stats();
    // One TLS handshake (the certificate alone is hundreds of bytes) besides the body: the counts saw ciphertext.
    expect(after.bytesWritten - before.bytesWritten).toBeGreaterThan(
      Buffer.byteLength(body) + credentials.cert.length / 2,
    );
    expect(after.bytesRead - before.bytesRead).toBeGreaterThan(200);
  });

  it("a pane whose requests came over TLS shows no byte figures, rather than too few (its requests still count)", async () => {
    await h2Get("/messages?since=0&p=tlspane1.polling");
    const totals = (await (await fetch(`${server().url}/stats/pane/tlspane1`)).json()) as {
      requests: number;
      bytesCounted: boolean;
    };
    expect(totals.requests).toBe(1);
    expect(totals.bytesCounted).toBe(false);
    // The same over the plain port: counted.
    await fetch(`${server().url}/messages?since=0&p=plainpane1.polling`).then((r) => r.text());
    const plain = (await (await fetch(`${server().url}/stats/pane/plainpane1`)).json()) as { bytesCounted: boolean };
    expect(plain.bytesCounted).toBe(true);
  });
});

describe("over TLS, what can be attributed is (issue 20: the socket pane showed 0 B, the class view 0 clients)", () => {
  it("a WebSocket over wss:// is its own TLS connection: its pane gets that connection's bytes, TLS included", async () => {
    const socket = new WsWebSocket(`${secure().url.replace("https", "wss")}/ws?p=wsspane1.socket`, {
      ca: credentials.cert,
    });
    const frames: ServerFrame[] = [];
    socket.on("message", (data) => frames.push(JSON.parse(String(data))));
    try {
      await waitFor(() => frames.some((f) => "epoch" in f));
      const text = uniqueText("counted over wss");
      await postMessage(server().url, { user: "t", text });
      await waitFor(() => frames.some((f) => isMessageFrame(f) && f.text === text));
      const totals = (await (await fetch(`${server().url}/stats/pane/wsspane1`)).json()) as {
        requests: number;
        bytesOut: number;
        bytesIn: number;
        bytesCounted: boolean;
      };
      expect(totals.bytesCounted).toBe(true);
      expect(totals.requests).toBe(1);
      // The certificate went out in the TLS handshake on this connection, and the message frame after it.
      expect(totals.bytesOut).toBeGreaterThan(credentials.cert.length / 2 + text.length);
      expect(totals.bytesIn).toBeGreaterThan(200); // the upgrade request, encrypted
      // Open now: a client of its transport for the class view, however long it stays quiet.
      expect(server().stats.byTransport().socket.clients).toBeGreaterThanOrEqual(1);
    } finally {
      socket.close();
    }
  });

  it("an SSE stream over h2 stays one of its transport's clients while it is open (no bytes of it are given)", async () => {
    const session = http2Connect(secure().url, { ca: credentials.cert, servername: "localhost" });
    try {
      const stream = session.request({ ":path": "/events?p=h2ssepane1.sse", ":authority": new URL(secure().url).host });
      await new Promise((resolve) => stream.once("response", resolve));
      const pane = server().stats.panes.pane("h2ssepane1.sse")!;
      expect(pane.open).toBe(1);
      stream.close();
      await waitFor(() => pane.open === 0);
    } finally {
      session.destroy();
    }
  });
});

describe("the request head on the TLS port over HTTP/1.1", () => {
  /** Sends a raw HTTP/1.1 request over TLS; everything the server sent back before closing. */
  function rawTls(data: string) {
    return new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({
        host: "127.0.0.1",
        port: secure().port,
        ca: credentials.cert,
        servername: "localhost",
        ALPNProtocols: ["http/1.1"],
      });
      let answer = "";
      socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
      socket.on("error", () => {}); // the rest of a refused head may be reset
      socket.once("secureConnect", () => socket.write(data, () => socket.end()));
      socket.once("close", () => resolve(answer));
      setTimeout(() => reject(new Error(`no close; got ${answer.slice(0, 80)}`)), 20_000).unref();
    });
  }
  const head = (headers: string) => `GET /messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${headers}\r\n`;

  it.each([
    ["X-Pad: and 2,000,000 spaces", head(`X-Pad:${" ".repeat(2_000_000)}a\r\n`)],
    ["16,000 empty headers", head("X:\r\n".repeat(16_000))],
  ])("%s: 431 (MAX_HEADER_BYTES), as on the plain port", async (_label, data) => {
    expect(await rawTls(data)).toMatch(/^HTTP\/1\.1 431 /);
  });

  it("a head under the limit is answered", async () => {
    expect(await rawTls(head(`X-Fine: ${"a".repeat(MAX_HEADER_BYTES / 2)}\r\n`))).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe("HTTP/2 limits", () => {
  it(`advertises SETTINGS_MAX_CONCURRENT_STREAMS = ${MAX_STREAMS_PER_CONNECTION} (MAX_STREAMS_PER_CONNECTION)`, async () => {
    const session = http2Connect(secure().url, { ca: credentials.cert, servername: "localhost" });
    try {
      await new Promise((resolve) => session.once("remoteSettings", resolve));
      expect(session.remoteSettings.maxConcurrentStreams).toBe(MAX_STREAMS_PER_CONNECTION);
    } finally {
      session.destroy();
    }
  });

  it("a 65,000-byte header gets 431 at the documented cap (MAX_HEADER_BYTES); one under it is answered", async () => {
    const session = http2Connect(secure().url, {
      ca: credentials.cert,
      servername: "localhost",
      maxSendHeaderBlockLength: 1_000_000,
      settings: { maxHeaderListSize: 1_000_000 },
    });
    const status = (value: string) =>
      new Promise<number | string>((resolve) => {
        const stream = session.request({ ":path": "/messages", "x-pad": value });
        stream.once("response", (headers) => resolve(headers[":status"]!));
        stream.once("error", (error) => resolve(`reset: ${error.message}`));
        stream.resume();
      });
    try {
      expect(await status("a".repeat(65_000))).toBe(431);
      expect(await status("a".repeat(MAX_HEADER_BYTES / 2))).toBe(200);
    } finally {
      session.destroy();
    }
  });
});
