import type { RunSummary } from "../../bench/analysis/aggregate.ts";

/** A sweep run with the figures slopes.ts reads, set by hand: each cost a line in the clients. */
export function sweepRun(
  mode: string,
  clients: number,
  interval: number,
  perClient: { idle: number; cpu: number; rss: number; broadcastMs?: number },
) {
  return {
    server: "app",
    instances: 1,
    interval,
    rate: 10,
    clients,
    groups: [{ mode, usesInterval: mode === "polling", where: "node", clients }],
    // 10 s of publishing: bytes 2 × idle's, requests one per client per T.
    publish: {
      ms: 10_000,
      bytesIn: perClient.idle * clients * 10,
      bytesOut: perClient.idle * clients * 10,
      requests: mode === "polling" ? (clients * 10_000) / interval : 0,
      serverCpuMs: perClient.cpu * clients * 10,
    },
    idleBytesPerSecond: perClient.idle * clients,
    idleCpuMsPerSecond: (perClient.cpu / 2) * clients,
    serverPeakRssBytes: 50 * 2 ** 20 + perClient.rss * clients,
    broadcast:
      perClient.broadcastMs === undefined ? null : { sockets: clients, p50Ms: 0.05 + perClient.broadcastMs * clients },
  } as unknown as RunSummary;
}
