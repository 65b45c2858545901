/**
 * The models printed beside the measurements: what each mode should cost from first principles, by its name. A mode
 * with no model here is measured only. Pure: the run's own measurements (RTT, an empty exchange's bytes) in, a
 * prediction out.
 */
import type { ModeName } from "../core/records.ts";

/** What the model needs to predict a mode's cost. */
export interface ModelInput {
  clients: number;
  interval: number;
  /** Length of the measured window, ms. */
  windowMs: number;
  /** Measured: one round trip of an HTTP request on a warm connection, ms. */
  rttMs: number;
  /** Measured: bytes of one empty exchange on the wire (request + response with headers). */
  emptyExchangeBytes: number;
}

/** The model's prediction; a figure left out is not predicted. */
export interface Prediction {
  /** Mean delivery latency, ms. */
  latencyMeanMs?: number;
  /** HTTP requests during the window. */
  requests?: number;
  /** Bytes on the wire (both directions) during a window in which nothing is published. */
  idleBytes?: number;
}

/**
 * A message lands at a random phase of the interval: it waits T/2 on average for the next poll, plus the poll's
 * round trip. Each client asks once per T, whether or not the answer is a 304.
 */
const predictPolls = ({ clients, interval, windowMs, rttMs }: ModelInput) => ({
  latencyMeanMs: interval / 2 + rttMs,
  requests: (clients * windowMs) / interval,
});

/** After the upgrade nothing crosses the wire unless there is a message: no requests, no idle bytes. */
const pushOnly = (): Prediction => ({ requests: 0, idleBytes: 0 });

export const MODELS: Partial<Record<ModeName, (input: ModelInput) => Prediction>> = {
  // With nothing new each ask costs one empty exchange.
  polling: (input) => {
    const { latencyMeanMs, requests } = predictPolls(input);
    return { latencyMeanMs, requests, idleBytes: requests * input.emptyExchangeBytes };
  },
  // Idle bytes are left out: the calibrated empty exchange is a 200 with [], not a 304.
  conditional: predictPolls,
  // longpoll has no model: how many requests a window takes depends on how often messages land while a client is
  // re-asking.
  // After the stream opens nothing is asked again: no requests in the window (keep-alive lines come every
  // SSE_KEEP_ALIVE_MS, longer than the bench's idle window, but are not modelled).
  sse: () => ({ requests: 0 }),
  socket: pushOnly,
  // As ours: after the handshake nothing crosses the wire unless there is a message (its pings come every 25 s).
  "socket.io": pushOnly,
};

/** A mode's prediction, or none (every figure left out) when it has no model. */
export const predict = (mode: ModeName, input: ModelInput): Prediction => MODELS[mode]?.(input) ?? {};
