/**
 * Counters and new messages for screen readers: one `aria-live="polite"` region for the whole page. The counters change
 * every second and a chat can bring ten messages a second; read out at that pace they would drown everything else,
 * so the region speaks at most once per ANNOUNCE_GAP_MS, with each pane's latest summary.
 */

/** Shortest time between two announcements, ms. */
export const ANNOUNCE_GAP_MS = 5000;

export class Announcer {
  /** Each source's (pane's) latest summary not yet spoken. */
  private readonly pending = new Map<string, string>();
  private readonly spoken = new Map<string, string>();
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly speak: (text: string) => void,
    private readonly gap = ANNOUNCE_GAP_MS,
    private readonly now = () => Date.now(),
  ) {}

  /** The latest summary of `source`; said at the next free slot, unless it is what was last said for it. */
  update(source: string, text: string): void {
    if (this.spoken.get(source) === text) this.pending.delete(source);
    else this.pending.set(source, text);
    if (this.pending.size > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastAt + this.gap - this.now()));
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    this.lastAt = this.now();
    for (const [source, text] of this.pending) this.spoken.set(source, text);
    // In the sources' order (the panes', left to right), whichever changed first.
    const sorted = [...this.pending].sort(([a], [b]) => a.localeCompare(b));
    this.speak(sorted.map(([, text]) => text).join(" "));
    this.pending.clear();
  }
}

/** The page's live region, visually hidden, and an Announcer that writes to it. */
export function liveRegion(): { region: HTMLElement; announcer: Announcer } {
  const region = document.createElement("div");
  region.className = "visually-hidden";
  region.setAttribute("aria-live", "polite");
  region.dataset.announcer = "";
  return { region, announcer: new Announcer((text) => (region.textContent = text)) };
}
