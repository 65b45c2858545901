import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous, so a busy machine (a bench beside it) slows a test without failing it; a passing test never waits
    // them out. Timing claims belong to the bench, not to these ceilings (test/README.md).
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // Each file gets its own process: servers, browsers and Redis instances never share state across files.
    pool: "forks",
    // Vitest's default on 2 cores is one file at a time (cores - 1), yet most files spend their time waiting on a
    // server, a browser or a child process. Two at once keeps both cores busy; three made the timing-sensitive files
    // (the storm's spread, the soak) fail under their own load. The longest files start first (cached durations).
    maxWorkers: 2,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line.
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
