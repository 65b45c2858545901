/**
 * `npm run start:deno`: the same app (server/app.ts) on Deno, the lesson's own runtime, through `Deno.serve`
 * (deno-server.ts). The proof that the app is web-standard: only server/deno/ knows it is on Deno. The chat is in
 * memory only.
 */
import { parseArgs } from "node:util";
import { createChat } from "../chat-factory.ts";
import { DEFAULT_PORT } from "../config.ts";
import { startDenoServer, type DenoApi } from "./deno-server.ts";

declare const Deno: DenoApi;

const { values } = parseArgs({
  args: Deno.args,
  options: { port: { type: "string" }, host: { type: "string" }, "host-name": { type: "string", multiple: true } },
});
const server = await startDenoServer({
  chat: await createChat(),
  port: Number(values.port ?? Deno.env.get("PORT") ?? DEFAULT_PORT),
  hostname: values.host ?? Deno.env.get("HOST"),
  hostNames: values["host-name"], // served besides the machine's own names: any other Host is refused (421)
});
console.log(`Polling vs WebSockets on Deno: http://localhost:${new URL(server.url).port}/ (chat in memory)`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    if (stopping) Deno.exit(1);
    stopping = true;
    await server.close(); // held polls answered, streams ended, sockets closed with 1001
    Deno.exit(0);
  });
}
