import { Agent, request } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { PATHS } from "../../shared/protocol.ts";
import type { Arrivals, PublishResult } from "../core/records.ts";

/** Milliseconds since the epoch at sub-millisecond resolution: comparable across processes on one machine. */
export const epochNow = () => performance.timeOrigin + performance.now();

export interface PublishOptions {
  baseUrl: string;
  /** Messages per second. */
  rate: number;
  /** How long to publish, ms. */
  duration: number;
  arrivals: Arrivals;
  /** Marks this run's messages, so receipts can be matched to posts whatever the server's ids are. */
  nonce: string;
  /** Randomness source (tests pass a seeded one). */
  random?: () => number;
  onPosted?: (count: number) => void;
  /** Stops publishing before `duration` is over (bench --storm publishes until the server has been back a while). */
  signal?: AbortSignal;
}

/** Offsets (ms from start) at which to post: evenly spaced, or a Poisson process (exponential gaps). */
export function arrivalTimes(
  rate: number,
  duration: number,
  arrivals: Arrivals,
  random: () => number = Math.random,
): number[] {
  const times: number[] = [];
  if (rate <= 0) return times;
  if (arrivals === "steady") {
    for (let t = 1000 / rate / 2; t < duration; t += 1000 / rate) times.push(t);
    return times;
  }
  for (let t = -Math.log(1 - random()) * (1000 / rate); t < duration; t += -Math.log(1 - random()) * (1000 / rate)) {
    times.push(t);
  }
  return times;
}

/** The text of message `seq`; `parseText` reads it back. */
export const messageText = (nonce: string, seq: number) => `${nonce} #${seq}`;

export function parseText(nonce: string, text: string): number | undefined {
  if (!text.startsWith(`${nonce} #`)) return undefined;
  const seq = Number(text.slice(nonce.length + 2));
  return Number.isInteger(seq) ? seq : undefined;
}

/**
 * Where the publisher posts from: a student's machine, as the tests and the rehearsal play one (scripts/rehearsal/
 * room.ts). From 127.0.0.1 our server would take it for the teacher's and mark every message `"from":"teacher"`
 * (server/guard/teacher-rule.ts), 17 B a delivery that are not the transport's. Every server of a run (ours, the
 * floor, the rivals) gets posts from here.
 */
export const PUBLISHER_ADDRESS = "127.0.0.2";

/** Posts messages with `POST /messages` at the scheduled times, over keep-alive connections of its own. */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const agent = new Agent({ keepAlive: true, localAddress: PUBLISHER_ADDRESS });
  const sockets = new Set<Socket>();
  const times = arrivalTimes(options.rate, options.duration, options.arrivals, options.random);
  const sentAt: number[] = [];
  const doneAt: number[] = [];
  const stored: boolean[] = [];
  const ids: number[] = [];
  let errors = 0;
  let posted = 0;
  const url = new URL(PATHS.messages, options.baseUrl);

  const post = (seq: number) =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify({ user: "bench", text: messageText(options.nonce, seq) });
      const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.once("end", () => {
          if (res.statusCode === 201) {
            stored[seq] = true;
            ids[seq] = (JSON.parse(text) as { id: number }).id;
          } else errors++;
          resolve();
        });
      });
      req.on("socket", (socket) => sockets.add(socket));
      req.once("error", () => {
        errors++;
        resolve();
      });
      sentAt[seq] = epochNow();
      req.end(body);
    });

  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let seq = 0; seq < times.length; seq++) {
    const wait = start + times[seq]! - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (options.signal?.aborted) break;
    pending.push(post(seq).then(() => ((doneAt[seq] = epochNow()), options.onPosted?.(++posted))));
  }
  await Promise.all(pending);
  agent.destroy();
  let bytesSent = 0;
  let bytesReceived = 0;
  for (const socket of sockets) {
    bytesSent += socket.bytesWritten;
    bytesReceived += socket.bytesRead;
  }
  return { sentAt, doneAt, stored, ids, errors, bytesSent, bytesReceived };
}
