import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../server/node/node-main.ts", import.meta.url));
// By URL, so the child may run in any directory (a test of the default ./data runs it in a temporary one).
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** Starting tsx and the server takes a second or two; a busy machine (a bench beside the tests) many more. */
const START_TIMEOUT_MS = 60_000;

export interface MainProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real `npm start` program (server/node/node-main.ts under tsx) as a child process, listening on 127.0.0.1.
 * Resolves once it has printed its URL (from which the port it bound is read) and that Ctrl+C is handled.
 */
export async function startMain(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<MainProcess> {
  const child = spawn(process.execPath, ["--import", TSX, MAIN, "--host", "127.0.0.1", ...args], {
    cwd,
    env: { ...process.env, REDIS_URL: "", DATA_DIR: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server/node/node-main.ts printed no URL within ${START_TIMEOUT_MS} ms:\n${text}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const match = /http:\/\/localhost:(\d+)\//.exec(text);
      if (match && text.includes("Ctrl+C stops the server")) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", check);
    exited.then(({ code }) =>
      reject(new Error(`server/node/node-main.ts exited with ${code} before listening:\n${text}`)),
    );
  });
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => text, exited };
}

/** Stops it for sure (for afterEach): SIGKILL if still running. */
export async function killMain(main: MainProcess | undefined): Promise<void> {
  if (!main || main.child.exitCode !== null || main.child.signalCode !== null) return;
  main.child.kill("SIGKILL");
  await main.exited;
}
