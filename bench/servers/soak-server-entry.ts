/**
 * The server of `npm run soak` (bench/cli/soak.ts), forked: the real server with a message log on a disk that the soak
 * fills up and frees with signals (SIGUSR1: full after SOAK_FULL_DISK_SLACK more bytes, so a line is cut short;
 * SIGUSR2: space again), through the log's file-system seam (bench/environment/full-disk.ts): no root, no small partition.
 * With a Redis URL the history lives in Redis instead (server/chat-factory.ts), and there is no log to fill.
 * Rate limits are off so a few clients can keep the log busy.
 * Argv: <data dir> <port> <history> <log max bytes> [<redis url>].
 */
import { Chat, FIRST_MESSAGE } from "../../server/chat/chat.ts";
import { createChat } from "../../server/chat-factory.ts";
import { MessageLog } from "../../server/chat/message-log.ts";
import { startServer } from "../../server/node/node-server.ts";
import { FullDisk } from "../environment/full-disk.ts";

/** Bytes that still fit once the disk "fills": less than one line, so the first write after it stops short. */
export const SOAK_FULL_DISK_SLACK = 50;

const [dir, port, history, maxBytes, redisUrl] = process.argv.slice(2);
const disk = new FullDisk();
let chat: Chat;
if (redisUrl) chat = await createChat({ redisUrl, namespace: "soak", log: () => {} });
else {
  const log = MessageLog.open(dir!, { fs: disk.fs, limit: Number(history), maxBytes: Number(maxBytes) });
  chat = new Chat(log);
  if (log.isEmpty) await chat.post(FIRST_MESSAGE);
}
const unlimited = { perSecond: 1e9, burst: 1e9 };
const running = await startServer({
  port: Number(port),
  hostname: "127.0.0.1",
  chat,
  postLimit: unlimited,
  socketLimit: unlimited,
});
process.on("SIGUSR1", () => disk.fill(SOAK_FULL_DISK_SLACK));
process.on("SIGUSR2", () => disk.clear());
process.send!({ type: "ready", port: running.port });
