/**
 * A tiny typed event emitter in plain web-standard code (no `node:events`): the chat and the transports say what
 * happened (a message stored, a broadcast done), and whoever measures (the stats, the bench) listens. Listeners run
 * in the order they subscribed, synchronously, before `emit` returns.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Calls `listener` on every `name` event; returns the function that stops it. */
  on<Name extends keyof Events>(name: Name, listener: (payload: Events[Name]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<Name extends keyof Events>(name: Name, payload: Events[Name]): void {
    const set = this.listeners.get(name) as Set<(payload: Events[Name]) => void> | undefined;
    if (set) for (const listener of set) listener(payload);
  }
}
