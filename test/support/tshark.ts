import { execFileSync } from "node:child_process";

/** Whether `tshark` runs here: the tests that compare counts with a loopback capture skip, with a reason, without it. */
export const hasTshark = (() => {
  try {
    execFileSync("tshark", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
