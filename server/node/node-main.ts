import { parseArgs } from "node:util";
import { buildClientAssets } from "./client-assets.ts";
import { resolve } from "node:path";
import { createChat } from "../chat-factory.ts";
import {
  ALLOWED_ORIGINS_ENV,
  DEFAULT_DATA_DIR,
  DEFAULT_HTTPS_PORT,
  DEFAULT_LOG_FSYNC,
  DEFAULT_PORT,
  LOG_FSYNC_MODES,
  type LogFsync,
} from "../config.ts";
import { MessageLogError } from "../chat/message-log.ts";
import { lanUrls } from "./lan-address.ts";
import { startServer } from "./node-server.ts";
import { parseAllowedOrigins } from "../guard/origin.ts";
import { stopOnSignals } from "./shutdown.ts";
import { RedisUnreachableError } from "../scale-out/redis-connection.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";
import { HttpsOptionError, httpsNotice, httpsOptions } from "./https/https-cli.ts";
import { TEACHER_PARAM } from "../../shared/class-protocol.ts";
import { KeptState } from "./kept-state.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    "host-name": { type: "string", multiple: true },
    bot: { type: "string" },
    data: { type: "string" },
    memory: { type: "boolean" },
    fsync: { type: "string" },
    https: { type: "boolean" },
    "https-port": { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`npm start [-- --port ${DEFAULT_PORT}] [--host 0.0.0.0] [--bot <messages per second>]

  --port  port to listen on (or PORT; default ${DEFAULT_PORT}, as in the lesson)
  --host  address to listen on (or HOST; default: every interface, so other machines in the room can join)
  --host-name NAME  also serve requests for this name (a room's DNS name, a proxy's); the machine's own names and
          addresses always are, and ALLOWED_ORIGINS' hosts: any other Host is refused (421), against DNS rebinding
  --bot   start the chat bot: this many messages per second on average, at random moments
  --data  directory for the chat history, kept across restarts (or DATA_DIR; default ./${DEFAULT_DATA_DIR})
  --memory  keep the history in memory only: a restart starts a fresh chat (and a new teacher URL, the bot off)
  --fsync always|never  force each message to the disk before answering it: survives a power loss, costs time
          (default ${DEFAULT_LOG_FSYNC}: survives a crash of the server, not always of the machine; docs/hardening.md)
  --https also serve over TLS (HTTP/2 and HTTP/1.1) on --https-port (default ${DEFAULT_HTTPS_PORT}), with a self-signed
          certificate kept in the data directory, or --cert FILE --key FILE (e.g. from mkcert): docs/http2.md

  REDIS_URL=redis://127.0.0.1:6379  share the chat with other instances through Redis (npm run start:cluster)

  ${ALLOWED_ORIGINS_ENV}=http://a:8000,http://b  other origins whose pages may open /ws (the server's own always can)`);
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: port must be an integer from 0 to 65535, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const fsync = (values.fsync ?? DEFAULT_LOG_FSYNC) as LogFsync;
if (!LOG_FSYNC_MODES.includes(fsync)) {
  console.error(`error: --fsync must be ${LOG_FSYNC_MODES.join(" or ")}, got ${values.fsync}`);
  process.exit(2);
}

/** The chat survives a restart by default (a teacher restarting mid-lesson keeps the conversation); --memory opts out. */
const dataDir = values.memory ? undefined : resolve(values.data ?? (process.env.DATA_DIR || DEFAULT_DATA_DIR));
/** Set: one of several instances sharing history and new messages through Redis (server/chat-factory.ts). */
const redisUrl = process.env.REDIS_URL || undefined;

/** The teacher's token and the bot's rate, kept with the data: a restart (step 6) changes neither (kept-state.ts). */
const kept = dataDir ? new KeptState(dataDir) : undefined;

let running: Awaited<ReturnType<typeof startServer>>;
try {
  const https = values.https
    ? await httpsOptions(values, resolve(values.data ?? (process.env.DATA_DIR || DEFAULT_DATA_DIR)))
    : undefined;
  running = await startServer({
    https,
    port,
    hostname: values.host ?? process.env.HOST,
    assets: buildClientAssets(),
    chat: await createChat({ redisUrl, dataDir, fsync }),
    allowedOrigins: parseAllowedOrigins(process.env[ALLOWED_ORIGINS_ENV]),
    teacherToken: kept?.teacherToken(),
    hostNames: values["host-name"],
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const known =
    error instanceof RedisUnreachableError || error instanceof MessageLogError || error instanceof HttpsOptionError;
  if (known) console.error(`error: ${error.message}`);
  else {
    const taken = (error as { port?: number }).port ?? port; // the plain port, or --https-port
    console.error(code === "EADDRINUSE" ? `error: port ${taken} is already in use; try PORT=8001 npm start` : error);
  }
  process.exit(1);
}

if (values.bot) {
  try {
    running.bot.setRate(Number(values.bot));
  } catch (error) {
    console.error(`error: --bot: ${(error as Error).message}`);
    process.exit(2);
  }
} else if (kept) {
  try {
    running.bot.setRate(kept.botRate()); // as the teacher left it before a restart
  } catch {
    // a rate this version no longer allows: the bot stays off
  }
}
if (kept) running.bot.onRate = (rate) => kept.saveBotRate(rate);
const labKept = kept?.takeLab();
if (labKept) running.lab.restore(labKept); // the lab's runs go on: their code reconnects to the same run

const local = `http://localhost:${running.port}`;
const singlePanes = [...SINGLE_PANE_PAGES.keys()].map((path) => `${local}${path}`); // shared/transports.ts
console.log(`Polling vs WebSockets: the chat is running.

  Class view          ${local}/class          (open it first, on the projector: students scan its code)
  Both side by side   ${local}/               (any two: ${local}/?left=longpoll&right=sse)
  Presenter mode      ${local}/?present       (the lesson as slides beside the panes: docs/walkthrough.md)
  The lab             ${local}/lab            (students write the polling loop and connect(), judged from the wire)
  One pane each       ${singlePanes.join("\n                      ")}
  Messages (JSON)     ${local}/messages
  History             ${redisUrl ? `in Redis at ${redisUrl}, shared by every instance` : dataDir ? `kept in ${dataDir} (fsync ${fsync})` : "in memory only (--memory)"}`);
const lan = lanUrls(running.port, values.host ?? process.env.HOST); // one address given: the room can reach only that one
if (lan.length > 0) console.log(`\n  From other machines in the room: ${lan.join("  ")}`);
if (running.secure) console.log(`\n${httpsNotice(running.secure)}`);
// The teacher's controls work from this machine as they are; from another device, open this once (its browser keeps
// the token): server/guard/teacher-rule.ts.
const teacherBase = lan[0] ?? `${local}/`;
console.log(
  `\n  Teacher (controls from another device, keep it secret): ${teacherBase}?${TEACHER_PARAM}=${running.teacherToken}`,
);
if (running.bot.rate > 0) console.log(`\n  Chat bot: ${running.bot.rate} messages per second`);

stopOnSignals(() => {
  kept?.saveLab(running.lab.snapshot()); // before the sockets close: each run knows the restart cut its socket
  return running.close();
});
console.log("\nCtrl+C stops the server."); // printed once Ctrl+C is handled: a script may wait for this line
