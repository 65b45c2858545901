import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, pingRedis } from "../../../server/scale-out/redis-process.ts";
import { describeWithRedis, useRedis } from "../../support/redis.ts";
import { getMessages, postMessage, uniqueText } from "../../support/server.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { waitFor } from "../../support/wait.ts";

const CLUSTER = fileURLToPath(new URL("../../../server/scale-out/cluster-main.ts", import.meta.url));

interface Cluster {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm run start:cluster` as a child process (without REDIS_URL unless `env` sets it, as a teacher would run it). */
function startCluster(args: string[], env: NodeJS.ProcessEnv = {}): Cluster {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.REDIS_URL;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ["--import", "tsx", CLUSTER, ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

let cluster: Cluster | undefined;
afterEach(async () => {
  if (cluster && cluster.child.exitCode === null) {
    cluster.child.kill("SIGINT"); // it stops what it started
    await cluster.exited;
  }
  cluster = undefined;
});

describeWithRedis("npm run start:cluster", () => {
  const redis = useRedis();
  it("runs two instances on one Redis: a post on one reaches a socket on the other; Ctrl+C stops everything", async () => {
    const ports = [await freePort(), await freePort()] as const;
    // A Redis already on 6379 would be reused, and is someone's: then the cluster gets this file's own instead.
    const env = (await pingRedis(6379)) ? { REDIS_URL: redis().url } : {};
    cluster = startCluster(["--ports", ports.join(",")], env);
    const started = cluster;
    await waitFor(() => started.output().includes("Ctrl+C stops the instances"), {
      what: "the cluster's summary",
      timeoutMs: 40_000,
    });
    const output = started.output();
    for (const port of ports) expect(output).toContain(`http://localhost:${port}/`);
    expect(output).toContain(
      `Open http://localhost:${ports[0]}/polling in one tab and http://localhost:${ports[1]}/socket`,
    );
    const redisPid = /started here \(pid (\d+)/.exec(output)?.[1];

    const [a, b] = ports.map((port) => `http://127.0.0.1:${port}`) as [string, string];
    const socketOnB = await SocketClient.open(b);
    const text = uniqueText("from A");
    const posted = await postMessage(a, { user: "ada", text });
    await socketOnB.waitForText(text);
    expect(await getMessages(b, posted.id - 1)).toEqual([posted]);
    await socketOnB.close();

    started.child.kill("SIGINT");
    expect(await started.exited).toBe(0);
    for (const url of [a, b]) await expect(fetch(`${url}/health`)).rejects.toThrow();
    // The Redis it started is gone too (one it reused is left alone).
    if (redisPid) expect(() => process.kill(Number(redisPid), 0)).toThrow();
  });
});

describe("npm run start:cluster without redis-server", () => {
  it("says how to install it and exits with 1", async (context) => {
    if (await pingRedis(6379)) context.skip(); // a running Redis would be reused, rightly
    const emptyPath = mkdtempSync(join(tmpdir(), "no-redis-"));
    try {
      cluster = startCluster(["--ports", `${await freePort()},${await freePort()}`], { PATH: emptyPath });
      expect(await cluster.exited).toBe(1);
      expect(cluster.output()).toMatch(
        /redis-server was not found[\s\S]*sudo apt-get install redis-server[\s\S]*brew install redis/,
      );
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
