/**
 * `npm test` runs this first (the `pretest` script): the end-to-end tests drive a real Chromium, so a machine
 * without one gets Playwright's own (`npx playwright install chromium`). Where a Chromium is present
 * (Debian's /usr/bin/chromium, or one installed before), it does nothing.
 */
import { spawnSync } from "node:child_process";
import { findChromium } from "../bench/clients/browser.ts";

function present(): string | undefined {
  try {
    return findChromium();
  } catch {
    return undefined;
  }
}

if (!present()) {
  console.log("No Chromium found for the browser tests: installing Playwright's (npx playwright install chromium)…");
  const install = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  if (install.status !== 0 || !present()) {
    console.error(
      "error: could not install Chromium. Install one yourself: `npx playwright install chromium`, " +
        "or on Debian/Ubuntu `apt-get install -y chromium`, or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
}
