/**
 * `npm run handshake [-- <url>]`: the WebSocket upgrade done by hand over a raw TCP socket, printed byte for byte,
 * then one masked frame sent and the replies taken apart field by field. Without a URL it starts its own server on
 * a free port (never the teacher's 8000); with one (`ws://localhost:8000/ws`) it talks to that server.
 */
import { parseArgs } from "node:util";
import { startServer, type RunningServer } from "../server/node/node-server.ts";
import { computeAccept } from "../shared/websocket-accept.ts";
import { converse, parseTarget } from "./raw-handshake.ts";
import { formatTranscript } from "./transcript-format.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { text: { type: "string" }, help: { type: "boolean", short: "h" } },
});

if (values.help || positionals.length > 1) {
  console.log(`npm run handshake [-- <url>] [--text "a message"]

  <url>   the chat's socket, e.g. ws://localhost:8000/ws (default: a server started for this run on a free port)
  --text  the chat message to send as a masked frame`);
  process.exit(values.help ? 0 : 2);
}

let own: RunningServer | undefined;
let target: ReturnType<typeof parseTarget>;
try {
  if (positionals[0]) {
    target = parseTarget(positionals[0]);
  } else {
    own = await startServer({ port: 0, hostname: "127.0.0.1" });
    target = parseTarget(`${own.url}/ws`);
  }
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(2);
}

console.log(`WebSocket handshake with ${target.href}${own ? " (a server started for this run)" : ""}\n`);
let ok = false;
try {
  const transcript = await converse(target, {
    message: { user: "handshake", text: values.text ?? "hello over a raw TCP socket" },
  });
  const computation = await computeAccept(transcript.key);
  console.log(formatTranscript(transcript, computation).join("\n"));
  const accept = transcript.headers.find(([name]) => name.toLowerCase() === "sec-websocket-accept")?.[1];
  ok = transcript.status === 101 && accept === computation.accept;
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
} finally {
  await own?.close();
}
process.exit(ok ? 0 : 1);
