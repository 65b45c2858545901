/**
 * A room's network for the bench (`npm run bench -- --rtt 40,150`): every mode's clients reach the server through a
 * delay proxy (bench/environment/delay-proxy.ts) that adds RTT/2 each way; the publisher stays on the server's side (like the
 * chat bot), so a latency is "the server has the message → a client shows it". The same runs go first on loopback
 * ("same building"); a model is then the loopback measurement plus what the network adds:
 *
 *   polling (T):    + RTT/2   the wait for the next poll to reach the server is still T/2 on average (it
 *                             overlaps the poll's way there); the answer's way back is new. A sender in the room
 *                             adds RTT/2 more: T/2 + RTT from the sender's click.
 *   long polling:   + RTT/2 + λ·RTT² / (2 (1 + λ·RTT))   answered at once while a poll is held; after each
 *                             answer no poll is held for one RTT (the answer going, the next poll coming), and a
 *                             message landing in that gap waits for it (λ: messages per ms, Poisson arrivals).
 *   SSE, WebSocket: + RTT/2   the server writes into a connection that is already open.
 *   handshake:      + 2 RTT   TCP (SYN → SYN-ACK), then the first request and its answer (GET, or the upgrade);
 *                             TLS would add 1 RTT more (TLS 1.3) or 2 (TLS 1.2): not emulated here.
 */
import { MODEL_TOLERANCE, round, type RunSummary } from "../analysis/aggregate.ts";
import { DelayProxy, roomLinks } from "../environment/delay-proxy.ts";
import { NodeWebSocketClass, type BenchMode } from "../clients/modes.ts";
import { ServerProcess } from "../servers/server-process.ts";

export interface ModelLine {
  /** Added to the loopback run's mean latency. */
  meanMs: number;
  /** Added to its median, where the network shifts every delivery alike (undefined where it changes the shape). */
  p50Ms?: number;
  formula: string;
}

export interface Room {
  rttMs: number;
  /** Poll interval T, ms. */
  interval: number;
  /** Messages per second, and how they arrive. */
  rate: number;
  arrivals: string;
}

/** What the room's network adds to a mode's mean latency (undefined when there is no model for it). */
export function networkModel(
  mode: Pick<BenchMode, "name" | "usesInterval" | "socket">,
  room: Room,
): ModelLine | undefined {
  const { rttMs, rate } = room;
  const shift = { meanMs: rttMs / 2, p50Ms: rttMs / 2, formula: "RTT/2" };
  if (mode.usesInterval || mode.socket || mode.name === "sse") return shift;
  if (mode.name !== "longpoll") return undefined;
  if (room.arrivals === "steady") return 1000 / rate >= rttMs ? shift : undefined;
  const gap = (rate / 1000) * rttMs; // messages expected in one gap
  // Under half the messages land in a gap (gap / (1 + gap) < ½): the median one is answered at once.
  return {
    meanMs: rttMs / 2 + (gap * rttMs) / (2 * (1 + gap)),
    p50Ms: gap < 1 ? rttMs / 2 : undefined,
    formula: "RTT/2 + λRTT²/2(1+λRTT)",
  };
}

/** TCP connect + first answer. */
const HANDSHAKE_MODEL = { rtts: 2, formula: "2 RTT" };

/** Starts a proxy in front of `serverUrl` for one room; the caller closes it. */
export async function roomProxy(serverUrl: string, rttMs: number): Promise<DelayProxy> {
  return DelayProxy.start({ target: { port: Number(new URL(serverUrl).port) }, ...roomLinks(rttMs) });
}

/**
 * The handshake each mode's client pays in each room: one client of the mode, started through a fresh proxy (a new
 * origin, so nothing is pooled), timed from start to its first answer (open, for a socket or a stream). The rooms
 * take turns sample by sample, so other work on the machine hits them alike; each figure is the least of `samples`
 * (noise only ever adds to a delay). On a server of its own. Returns rtt → mode → ms.
 */
export async function measureHandshakes(modes: BenchMode[], rtts: number[], samples = 5) {
  const server = await ServerProcess.start();
  const result = new Map(rtts.map((rtt) => [rtt, new Map<string, number>()]));
  const once = async (mode: BenchMode, rttMs: number) => {
    const proxy = await roomProxy(server.url, rttMs);
    const start = performance.now();
    const client = mode.start({
      baseUrl: proxy.url,
      wsBaseUrl: proxy.url.replace(/^http/, "ws"),
      interval: 60_000, // one poll: the first
      fetch: globalThis.fetch,
      WebSocket: NodeWebSocketClass,
      receive: () => {},
    });
    await client.ready;
    const ms = performance.now() - start;
    client.stop();
    await proxy.close();
    return ms;
  };
  try {
    for (const mode of modes) {
      await once(mode, 0); // warms the server's code for this mode; not kept
      for (let i = 0; i < samples; i++) {
        for (const rttMs of rtts) {
          const ms = await once(mode, rttMs);
          result.get(rttMs)!.set(mode.name, Math.min(ms, result.get(rttMs)!.get(mode.name) ?? Infinity));
        }
      }
    }
  } finally {
    await server.stop();
  }
  return result;
}

const ratioText = (measured: number, model: number) => {
  const ratio = measured / model;
  return `${ratio.toFixed(2)}${Math.abs(ratio - 1) > MODEL_TOLERANCE ? " !" : ""}`;
};

/** One pass of the bench: its room (0: loopback), its runs, and each mode's handshake. */
export interface RoomPass {
  rttMs: number;
  summaries: RunSummary[];
  handshakes: Map<string, number>;
}

/**
 * The room's table: per mode, the measured median and mean latency and the handshake, each beside its model (the
 * loopback pass's measurement + what the network adds); "!" marks a ratio outside ±10 %. New TCP connections in the
 * publish window (the publisher's few included) are shown because each pays the handshake again.
 */
export function roomRows(pass: RoomPass, loopback: RoomPass, modes: BenchMode[]): string[][] {
  const rows = [
    [
      "mode",
      "RTT",
      "network adds",
      "p50",
      "model",
      "ratio",
      "mean",
      "model",
      "ratio",
      "handshake",
      "model",
      "ratio",
      "new TCP",
    ],
  ];
  const cells = (measured: number | undefined, model: number | undefined) =>
    measured === undefined || model === undefined ? ["–", "–"] : [String(round(model)), ratioText(measured, model)];
  pass.summaries.forEach((s, run) => {
    s.groups.forEach((g, i) => {
      const base = loopback.summaries[run]?.groups[i];
      const mode = modes.find((m) => m.name === g.mode);
      const network =
        mode && networkModel(mode, { rttMs: pass.rttMs, interval: s.interval, rate: s.rate, arrivals: s.arrivals });
      const plus = (baseline: number | undefined, added: number | undefined) =>
        baseline === undefined || added === undefined ? undefined : baseline + added;
      const handshake = pass.handshakes.get(g.mode);
      const handshakeModel = plus(loopback.handshakes.get(g.mode), HANDSHAKE_MODEL.rtts * pass.rttMs);
      rows.push([
        g.mode,
        `${pass.rttMs} ms`,
        network?.formula ?? "no model",
        String(round(g.latency.p50)),
        ...cells(g.latency.p50, plus(base?.latency.p50, network?.p50Ms)),
        String(round(g.latency.mean)),
        ...cells(g.latency.mean, plus(base?.latency.mean, network?.meanMs)),
        handshake === undefined ? "–" : String(round(handshake)),
        ...cells(handshake, handshakeModel),
        String(s.publish.connections),
      ]);
    });
  });
  return rows;
}
