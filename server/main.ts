import { networkInterfaces } from "node:os";
import { parseArgs } from "node:util";
import { buildClientAssets } from "./client-assets.ts";
import { DEFAULT_PORT } from "./limits.ts";
import { startServer } from "./node-server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    bot: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`npm start [-- --port ${DEFAULT_PORT}] [--host 0.0.0.0] [--bot <messages per second>]

  --port  port to listen on (or PORT; default ${DEFAULT_PORT}, as in the lesson)
  --host  address to listen on (or HOST; default: every interface, so other machines in the room can join)
  --bot   start the chat bot at this many messages per second`);
  process.exit(0);
}

const port = Number(values.port ?? process.env.PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`error: port must be an integer from 0 to 65535, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

let running;
try {
  running = await startServer({ port, hostname: values.host ?? process.env.HOST, assets: buildClientAssets() });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `error: port ${port} is already in use; try PORT=8001 npm start` : error);
  process.exit(1);
}

if (values.bot) {
  try {
    running.bot.setRate(Number(values.bot));
  } catch (error) {
    console.error(`error: --bot: ${(error as Error).message}`);
    process.exit(2);
  }
}

const local = `http://localhost:${running.port}`;
console.log(`Polling vs WebSockets: the chat is running.

  Both side by side   ${local}/
  Polling alone       ${local}/polling
  WebSocket alone     ${local}/socket
  Messages (JSON)     ${local}/messages`);
const lan = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address && address.family === "IPv4" && !address.internal)
  .map((address) => `http://${address!.address}:${running.port}/`);
if (lan.length > 0) console.log(`\n  From other machines in the room: ${lan.join("  ")}`);
if (running.bot.rate > 0) console.log(`\n  Chat bot: ${running.bot.rate} messages per second`);
console.log("\nCtrl+C stops the server.");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    running.close().then(() => process.exit(0));
  });
}
