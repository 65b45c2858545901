import { describe, expect, it } from "vitest";
import { summarize } from "../../../bench/analysis/aggregate.ts";
import { BENCH_MODES } from "../../../bench/clients/modes.ts";
import { toHtml } from "../../../bench/output/html.ts";
import { createReport } from "../../../bench/output/json.ts";
import { toMarkdown } from "../../../bench/output/markdown.ts";
import { run } from "../../../bench/scenarios/run.ts";
import type { ServerKind } from "../../../bench/core/records.ts";

// A short real run: a server process, a few clients running the real client modules, a few messages. The same
// checks hold on our server and on the floor server (bench --floor), since the bench measures both alike.
describe.each<[ServerKind, string]>([
  ["app", ""],
  ["floor", " (floor)"],
])("a short real run on the %s server", (server, marked) => {
  it("polling: every poll the clients made is a request the server answered, nothing lost or duplicated", async () => {
    const summary = summarize(
      await run({
        server,
        groups: [{ mode: BENCH_MODES.polling, clients: 3 }],
        interval: 200,
        duration: 1000,
        rate: 5,
        arrivals: "steady",
        idle: 600,
      }),
    );
    expect(summary).toMatchObject({ server, label: `polling${marked}` });
    const [group] = summary.groups;
    expect(summary.publisher).toMatchObject({ posted: 5, errors: 0 });
    expect(group).toMatchObject({ clients: 3, expected: 15, delivered: 15, lost: 0, duplicated: 0 });
    expect(summary.totals.clientRequests).toBeGreaterThan(10);
    expect(summary.totals.serverRequests).toBe(summary.totals.clientRequests);
    // Every request carries at least its headers, and every answer its status line and headers.
    const { requestBytes, emptyResponseBytes } = summary.calibration;
    expect(requestBytes).toBeGreaterThan(100);
    expect(summary.idle.bytesIn).toBe(summary.idle.requests * requestBytes);
    expect(summary.publish.bytesIn + summary.publish.bytesOut).toBeGreaterThan(
      summary.publish.requests * (requestBytes + emptyResponseBytes),
    );
    expect(summary.failed).toBe(false);
    // Few pollers in a short window: the model checks say how far chance alone can move the counts.
    expect(summary.model.find((c) => c.what === "requests")?.note).toMatch(
      /^sampling error ≤ ±\d+(\.\d)? % \(1σ, 3 pollers, /,
    );

    // The reports: a Markdown table, and an HTML page with inline SVG charts that fetches nothing.
    const report = createReport({}, [summary]);
    expect(toMarkdown(report)).toContain(`| polling${marked} | 3 | 200 |`);
    const html = toHtml(report);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(/https?:\/\/|<script|<link/);
  });

  it("socket: one upgrade per client, no requests after it, each message once to each client", async () => {
    const summary = summarize(
      await run({
        server,
        groups: [{ mode: BENCH_MODES.socket, clients: 2 }],
        interval: 200,
        duration: 1000,
        rate: 5,
        arrivals: "steady",
        idle: 300,
      }),
    );
    expect(summary).toMatchObject({ server, label: `socket${marked}` });
    expect(summary.groups[0]).toMatchObject({ expected: 10, delivered: 10, lost: 0, duplicated: 0, clientSockets: 2 });
    expect(summary.totals.serverUpgrades).toBe(2);
    expect(summary.publish.requests).toBe(0);
    expect(summary.idle.bytesIn + summary.idle.bytesOut).toBe(0);
    // Each delivered message is at least a 2-byte frame header plus its JSON.
    expect(summary.publish.bytesOut).toBeGreaterThan(10 * 50);
    expect(summary.broadcast).toMatchObject({ sockets: 2, count: 5 });
  });
});
