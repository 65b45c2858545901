import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { ALLOWED_ORIGINS_ENV, DEFAULT_DATA_DIR } from "../../../server/config.ts";
import { MAX_HEADER_BYTES, SHUTDOWN_DEADLINE_MS } from "../../../server/limits/connection-limits.ts";
import { LOG_FILE } from "../../../server/chat/message-log.ts";
import { PATHS } from "../../../shared/protocol.ts";
import { SINGLE_PANE_PAGES } from "../../../shared/transports.ts";
import { killMain, startMain, type MainProcess } from "../../support/main-process.ts";
import { getMessages, postMessage } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";
import { requestFrom } from "../../support/student.ts";
import { TEACHER_HEADER } from "../../../shared/class-protocol.ts";

// The real program (`npm start` = server/node/node-main.ts) as a child process, as a teacher runs it.
let main: MainProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await killMain(main);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "chat-data-"));
  dirs.push(dir);
  return dir;
};

describe("server/node/node-main.ts", () => {
  it(`SIGTERM: sockets get 1001, a held long poll is answered, an SSE stream ends, exit 0 (deadline SHUTDOWN_DEADLINE_MS = ${SHUTDOWN_DEADLINE_MS})`, async () => {
    main = await startMain(["--port", "0", "--memory"]);
    const socket = await SocketClient.open(main.url);
    await socket.waitForFrame((frame) => "epoch" in frame);
    const last = (await getMessages(main.url)).at(-1)!.id;
    const longPoll = fetch(`${main.url}${PATHS.wait}?since=${last}`);
    const events = await fetch(`${main.url}${PATHS.events}`);
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    const streamEnded = events.text(); // resolves only when the server ends the stream
    await waitFor(
      async () => {
        const stats = await (await fetch(`${main!.url}${PATHS.stats}`)).json();
        return stats.heldLongPolls === 1 && stats.openEventStreams === 1;
      },
      { what: "the long poll held and the stream open" },
    );

    main.child.kill("SIGTERM");
    expect((await socket.waitForClose()).code).toBe(1001);
    const answered = await longPoll;
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual([]);
    expect(await streamEnded).toContain("retry:");
    expect(await main.exited).toEqual({ code: 0, signal: null });
    expect(main.output()).toContain("SIGTERM: closing connections");
  });

  // One process for the checks that only read what it prints or answers; the last one stops it with Ctrl+C.
  describe("one server (--memory, with an allowed origin)", () => {
    let shared: MainProcess;
    beforeAll(async () => {
      shared = await startMain(["--port", "0", "--memory"], { [ALLOWED_ORIGINS_ENV]: "http://projector.example:8000" });
    });
    afterAll(() => killMain(shared));

    it("prints the class view and a teacher URL whose token makes any machine the teacher's", async () => {
      expect(shared.output()).toContain(`http://localhost:${shared.port}/class `);
      const token = /\?teacher=([0-9a-f]{32})\n/.exec(shared.output())?.[1];
      expect(token).toBeDefined();
      const setBot = (headers: Record<string, string>) =>
        requestFrom(`${shared.url}/bot`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: '{"rate":1}',
        });
      expect((await setBot({})).status).toBe(403); // from 127.0.0.2, a student's machine
      expect(await setBot({ [TEACHER_HEADER]: token! })).toEqual({ status: 200, body: { rate: 1 } });
    });

    it("prints each transport's page (shared/transports.ts)", () => {
      for (const path of SINGLE_PANE_PAGES.keys())
        expect(shared.output()).toContain(`http://localhost:${shared.port}${path}\n`);
    });

    it(`${ALLOWED_ORIGINS_ENV} lets a listed origin upgrade; a foreign one still gets 403`, async () => {
      const status = (origin: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${shared.url.replace("http", "ws")}/ws`, { origin });
          ws.on("open", () => (ws.close(), resolve(101)));
          ws.on("unexpected-response", (_req, res) => (resolve(res.statusCode!), ws.terminate()));
          ws.on("error", () => {});
        });
      expect(await status("http://projector.example:8000")).toBe(101);
      expect(await status("http://evil.example")).toBe(403);
    });

    it(`a request head over MAX_HEADER_BYTES (${MAX_HEADER_BYTES}) gets 431, and the server carries on`, async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${shared.url}/messages`, { headers: { "x-big": "a".repeat(MAX_HEADER_BYTES) } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(431);
      expect((await getMessages(shared.url)).length).toBeGreaterThan(0);
    });

    it("--host 127.0.0.1 does not offer addresses for other machines in the room (they could not connect)", async () => {
      // startMain listens on --host 127.0.0.1
      expect(shared.output()).toContain("Ctrl+C stops the server");
      expect(shared.output()).not.toContain("From other machines in the room");
    });

    it("SIGINT (Ctrl+C) also exits 0", async () => {
      shared.child.kill("SIGINT");
      expect(await shared.exited).toEqual({ code: 0, signal: null });
    });
  });

  it("keeps the history in --data across a restart; ids continue", async () => {
    const dir = dataDir();
    main = await startMain(["--port", "0", "--data", dir]);
    const posted = await postMessage(main.url, { user: "teacher", text: "before the restart" });
    main.child.kill("SIGTERM");
    await main.exited;
    main = await startMain(["--port", "0", "--data", dir]);
    const history = await getMessages(main.url);
    expect(history.map((m) => m.text)).toEqual(["first message", "before the restart"]);
    expect(history.at(-1)).toEqual(posted);
    expect((await postMessage(main.url, { user: "teacher", text: "after" })).id).toBe(posted.id + 1);
  });

  it(`by default keeps the history in ./${DEFAULT_DATA_DIR} of the directory it runs in; DATA_DIR moves it`, async () => {
    const cwd = dataDir();
    main = await startMain(["--port", "0"], {}, cwd);
    await postMessage(main.url, { user: "teacher", text: "kept by default" });
    expect(main.output()).toContain(`kept in ${join(cwd, DEFAULT_DATA_DIR)}`);
    expect(readFileSync(join(cwd, DEFAULT_DATA_DIR, LOG_FILE), "utf8")).toContain("kept by default");
    await killMain(main);

    const elsewhere = dataDir();
    main = await startMain(["--port", "0"], { DATA_DIR: elsewhere }, cwd);
    await postMessage(main.url, { user: "teacher", text: "kept elsewhere" });
    expect(readFileSync(join(elsewhere, LOG_FILE), "utf8")).toContain("kept elsewhere");
  });

  it("an unusable data directory is reported in one clear line, exit 1", async () => {
    const dir = dataDir();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "messages.jsonl"));
    await expect(startMain(["--port", "0", "--data", dir])).rejects.toThrow(
      /exited with 1[\s\S]*error: cannot use the message log .*EISDIR/,
    );
  });

  it("--fsync always is used and said; an unknown mode is refused in one line, exit 2", async () => {
    main = await startMain(["--port", "0", "--data", dataDir(), "--fsync", "always"]);
    expect(main.output()).toMatch(/History +kept in .* \(fsync always\)/);
    await postMessage(main.url, { user: "a", text: "forced to the disk" });
    await killMain(main);
    await expect(startMain(["--port", "0", "--data", dataDir(), "--fsync", "sometimes"])).rejects.toThrow(
      /exited with 2[\s\S]*error: --fsync must be always or never, got sometimes/,
    );
  });
});
