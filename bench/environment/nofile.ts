/**
 * Open files a run needs: every client connection is a file descriptor in the server (and in the process its client
 * runs in). Node raises its own soft limit to the hard one at start; what can stop a 10,000-client run is the hard
 * limit, raised here for this process (and the processes it forks) with `prlimit` where it is allowed.
 */
import { execFileSync } from "node:child_process";

/** Descriptors beyond the clients: the publisher, IPC, the runtime's own files. */
const SPARE_FILES = 1024;

const hardLimit = (pid: number) =>
  Number(
    execFileSync("prlimit", ["--pid", String(pid), "--nofile", "--raw", "--noheadings", "--output", "HARD"], {
      encoding: "utf8",
    }).trim(),
  );

/**
 * Makes sure this process (and so every process it forks afterwards) may open `clients` connections and spare
 * files; returns the limit now in force. Throws with the command to run when it cannot raise it.
 */
export function ensureOpenFiles(clients: number): number {
  const need = clients + SPARE_FILES;
  let limit: number;
  try {
    limit = hardLimit(process.pid);
    if (limit >= need) return limit;
    execFileSync("prlimit", ["--pid", String(process.pid), `--nofile=${need}:${need}`]);
    return hardLimit(process.pid);
  } catch {
    throw new Error(
      `${clients} clients need ${need} open files; raise the limit first (as root: ulimit -Hn ${need} && ulimit -n ${need})`,
    );
  }
}
