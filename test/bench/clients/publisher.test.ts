import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { arrivalTimes, messageText, parseText, publish, PUBLISHER_ADDRESS } from "../../../bench/clients/publisher.ts";

/** A small seeded generator (mulberry32), so Poisson arrivals are reproducible here. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("arrivalTimes", () => {
  it("spaces steady arrivals evenly, mid-slot", () => {
    expect(arrivalTimes(4, 1000, "steady")).toEqual([125, 375, 625, 875]);
  });

  it("gives a Poisson process about rate × duration arrivals, increasing, inside the duration", () => {
    const times = arrivalTimes(100, 100_000, "poisson", seeded(42));
    expect(times.length).toBeGreaterThan(9_700);
    expect(times.length).toBeLessThan(10_300);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    expect(times.at(-1)!).toBeLessThan(100_000);
  });
});

describe("message text", () => {
  it("reads back the sequence number, and nothing from another run", () => {
    expect(parseText("bench-ab", messageText("bench-ab", 17))).toBe(17);
    expect(parseText("bench-ab", messageText("bench-cd", 17))).toBeUndefined();
    expect(parseText("bench-ab", "first message")).toBeUndefined();
  });
});

describe("publish", () => {
  it("posts on schedule, says when each POST ended, and stops early when its signal aborts", async () => {
    const from = new Set<string | undefined>();
    const server = createServer((request, response) => {
      from.add(request.socket.remoteAddress);
      request.resume().on("end", () => response.writeHead(201, { "content-type": "application/json" }).end('{"id":1}'));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 300);
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await publish({
        baseUrl,
        rate: 20,
        duration: 60_000,
        arrivals: "steady",
        nonce: "t",
        signal: stop.signal,
      });
      // 20 a second for 300 ms: about 6, nowhere near the 1200 of the whole minute.
      expect(result.sentAt.length).toBeGreaterThan(2);
      expect(result.sentAt.length).toBeLessThan(12);
      expect(result.stored.every(Boolean)).toBe(true);
      for (const [seq, at] of result.sentAt.entries()) expect(result.doneAt[seq]).toBeGreaterThanOrEqual(at);
      // A student's machine, not the server's own (the teacher's): our server marks no post `from: "teacher"`.
      expect([...from]).toEqual([PUBLISHER_ADDRESS]);
    } finally {
      server.close();
    }
  });
});
