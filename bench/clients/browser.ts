import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright";

/** Flags for a headless Chromium that must not reach anything but loopback. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Where a system Chromium may live (Debian's package first). */
const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];

/**
 * Which Chromium to drive, by what is present: `CHROMIUM_PATH` if set, else Playwright's own browser if it was
 * installed (`npx playwright install chromium`, as on a laptop), else a system Chromium (Debian's `chromium`).
 */
export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, chromium.executablePath(), ...SYSTEM_CHROMIUMS];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error(
      "No Chromium found. Install one: `npx playwright install chromium` (laptop), " +
        "`apt-get install -y chromium` (Debian), or set CHROMIUM_PATH.",
    );
  }
  return found;
}

/** `extraArgs`: e.g. `--disable-http2`, so a tab speaks HTTP/1.1 over TLS (bench --http2 --browser). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, ...extraArgs] });
}
