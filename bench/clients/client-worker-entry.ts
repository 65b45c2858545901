/**
 * One client worker process (client-workers.ts forks several for a run with thousands of clients): it runs its slice
 * of simulated clients with startNodeGroup, exactly as the bench's own process does, and answers the bench over IPC.
 */
import { allReceived, startNodeGroup, type ClientGroup, type NodeGroupOptions } from "./client-group.ts";
import { BENCH_MODES } from "./modes.ts";
import { SOCKETIO_MODE } from "./socketio-mode.ts";

export type ToWorker =
  | { type: "start"; mode: string; options: Omit<NodeGroupOptions, "mode"> }
  | { type: "ask"; id: number; what: "counts" | "receipts" | "cpu" | "stop" }
  | { type: "delivered"; id: number; expected: number };

const modes = [...Object.values(BENCH_MODES), SOCKETIO_MODE];
let group: ClientGroup | undefined;

process.on("message", async (command: ToWorker) => {
  if (command.type === "start") {
    group = startNodeGroup({ ...command.options, mode: modes.find((mode) => mode.name === command.mode)! });
    await group.ready;
    process.send!({ type: "warm" });
    return;
  }
  const answer = async () => {
    if (command.type === "delivered") return allReceived(await group!.receipts(), command.expected);
    if (command.what === "counts") return group!.counts();
    if (command.what === "receipts") return group!.receipts();
    if (command.what === "stop") return group?.stop();
    const cpu = process.cpuUsage();
    return cpu.user + cpu.system;
  };
  process.send!({ type: "answer", id: command.id, value: await answer() });
});
process.on("disconnect", () => process.exit(0));
process.send!({ type: "ready", url: "" });
