import { SingleBar, Presets } from "cli-progress";
import type { Phase } from "../scenarios/run.ts";

/** A progress bar per run on stderr (stdout stays clean for the table); silent when stderr is not a terminal. */
export class Progress {
  private readonly bar = new SingleBar(
    {
      format: " {label} [{bar}] {value}/{total} messages · {phase}",
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  private active = false;

  constructor(private readonly enabled = process.stderr.isTTY === true) {}

  start(label: string, total: number): void {
    if (!this.enabled) return;
    this.bar.start(total, 0, { label, phase: "starting" });
    this.active = true;
  }

  phase = (phase: Phase): void => {
    if (this.active) this.bar.update({ phase });
  };

  posted = (posted: number, total: number): void => {
    if (!this.active) return;
    this.bar.setTotal(Math.max(total, posted));
    this.bar.update(posted);
  };

  stop(): void {
    if (this.active) this.bar.stop();
    this.active = false;
  }
}
