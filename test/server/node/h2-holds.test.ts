import { mkdtempSync, rmSync } from "node:fs";
import { type ClientHttp2Session, connect as http2Connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { selfSignedCertificate, type TlsCredentials } from "../../../server/node/https/tls-certificate.ts";
import { PATHS } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";
import { waitFor } from "../../support/wait.ts";

// Issue 23 row 6, the rest: over HTTP/2 one address's long polls and event streams are bounded
// (MAX_H2_HOLDS_PER_ADDRESS, scaled down here), so another client's /messages/wait and /events are still served.
const dir = mkdtempSync(join(tmpdir(), "chat-h2-holds-"));
const credentials: TlsCredentials = await selfSignedCertificate(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HELD = 20;
const server = useServer({
  hostname: "0.0.0.0",
  https: { port: 0, credentials, holdsPerAddress: 8 },
  longPoll: { maxHeld: HELD, timeoutMs: 60_000 },
  sse: { maxStreams: HELD, keepAliveMs: 60_000 },
});

/** An h2 session from `localAddress` (a student's machine by default: another loopback address). */
function session(localAddress: string): ClientHttp2Session {
  const { port } = server().secure!;
  return http2Connect(`https://127.0.0.1:${port}`, {
    createConnection: () =>
      tlsConnect({
        socket: netConnect({ host: "127.0.0.1", port, localAddress }),
        ca: credentials.cert,
        servername: "localhost",
        ALPNProtocols: ["h2"],
      }),
  });
}

const status = (s: ClientHttp2Session, path: string) =>
  new Promise<number | string>((resolve) => {
    const stream = s.request({ ":path": path });
    stream.once("response", (headers) => resolve(headers[":status"]!));
    stream.once("error", (error) => resolve(`reset: ${error.message}`));
    stream.resume();
  });

describe("HTTP/2 holds per address", () => {
  it("one connection taking every long poll and event stream leaves another client's served", async () => {
    const greedy = session("127.0.0.2");
    const other = session("127.0.0.3");
    try {
      // The greedy one asks for the room's every hold: its share is held, the rest answered 503 at once.
      const since = `?since=999999999999`; // above every id: held until a message comes
      const answers: (number | string)[] = [];
      for (let i = 0; i < 2 * HELD; i++) {
        void status(greedy, i % 2 ? PATHS.events : `${PATHS.wait}${since}`).then((answer) => answers.push(answer));
      }
      await waitFor(() => answers.filter((answer) => answer === 503).length === 2 * HELD - 8 || undefined, {
        what: "the greedy client's refusals",
      });
      expect(await status(other, PATHS.events)).toBe(200);
      const otherPoll = await Promise.race([
        status(other, `${PATHS.wait}${since}`),
        new Promise((r) => setTimeout(() => r("held"), 1000)),
      ]);
      expect(otherPoll).toBe("held"); // held, not 503
    } finally {
      greedy.destroy();
      other.destroy();
    }
  });
});
