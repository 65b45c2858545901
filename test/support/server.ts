import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer, type StartOptions } from "../../server/node/node-server.ts";
import type { Message, NewMessage } from "../../shared/protocol.ts";

/** A real server on a free port for the tests of one file: started before them, closed after. */
export function useServer(options: StartOptions = {}): () => RunningServer {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await startServer({ port: 0, hostname: "127.0.0.1", ...options });
  });
  afterAll(async () => {
    await running?.close();
  });
  return () => {
    if (!running)
      throw new Error("the test server is not running (useServer() must be called at file or describe level)");
    return running;
  };
}

/** `POST /messages` as a client would send it. */
export async function postMessage(baseUrl: string, message: NewMessage): Promise<Message> {
  const response = await fetch(`${baseUrl}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  if (response.status !== 201) throw new Error(`POST /messages answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Message;
}

/** `GET /messages[?since=id]`. */
export async function getMessages(baseUrl: string, since?: number): Promise<Message[]> {
  const response = await fetch(`${baseUrl}/messages${since === undefined ? "" : `?since=${since}`}`);
  if (response.status !== 200) throw new Error(`GET /messages answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Message[];
}

/** A text unlikely to be posted by anything else in the same test run. */
export function uniqueText(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 10)}`;
}
