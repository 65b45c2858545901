import { SHUTDOWN_DEADLINE_MS } from "../limits/connection-limits.ts";

export interface StopOptions {
  deadlineMs?: number;
  /** Signals to listen for; tests pass none and call the returned function. */
  signals?: readonly NodeJS.Signals[];
  exit?: (code: number) => void;
  log?: (line: string) => void;
  error?: (line: unknown) => void;
}

/**
 * Ctrl+C (SIGINT) or SIGTERM: `close()` gracefully (stop accepting, answer held polls, end streams, close sockets
 * with 1001), then exit 0. A stuck connection cannot hold the exit: past the deadline it exits 1 anyway, and a second
 * Ctrl+C exits at once. Returns the handler.
 */
export function stopOnSignals(close: () => Promise<void>, options: StopOptions = {}): (signal: string) => void {
  const {
    deadlineMs = SHUTDOWN_DEADLINE_MS,
    signals = ["SIGINT", "SIGTERM"],
    exit = (code) => process.exit(code),
    log = console.log,
    error = console.error,
  } = options;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return exit(1);
    stopping = true;
    log(`\n${signal}: closing connections…`);
    setTimeout(() => {
      error(`error: still closing after ${deadlineMs} ms; exiting anyway`);
      exit(1);
    }, deadlineMs).unref();
    close().then(
      () => exit(0),
      (reason) => {
        error(reason);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, () => stop(signal));
  return stop;
}
