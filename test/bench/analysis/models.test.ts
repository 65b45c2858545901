import { describe, expect, it } from "vitest";
import { MODELS, predict } from "../../../bench/analysis/models.ts";

const input = { clients: 10, interval: 1000, windowMs: 5000, rttMs: 1.5, emptyExchangeBytes: 400 };

describe("the model", () => {
  it("predicts polling: latency T/2 + RTT, requests clients × window / T, idle bytes requests × exchange size", () => {
    expect(predict("polling", input)).toEqual({ latencyMeanMs: 501.5, requests: 50, idleBytes: 20_000 });
  });

  it("predicts no requests and no idle bytes for open WebSockets, ours and Socket.IO's", () => {
    const sockets = { ...input, clients: 100, rttMs: 1 };
    expect(predict("socket", sockets)).toEqual({ requests: 0, idleBytes: 0 });
    expect(predict("socket.io", sockets)).toEqual({ requests: 0, idleBytes: 0 });
  });

  it("conditional polling asks as often as polling; SSE asks nothing after connecting; long polling has no model", () => {
    expect(predict("conditional", input)).toEqual({ latencyMeanMs: 501.5, requests: 50 });
    expect(predict("sse", input)).toEqual({ requests: 0 });
    expect(MODELS.longpoll).toBeUndefined();
    expect(predict("longpoll", input)).toEqual({});
  });
});
