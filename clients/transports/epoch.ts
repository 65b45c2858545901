import { EPOCH_PARAM } from "../../shared/protocol.ts";

/**
 * The epoch of the server's history (shared/protocol.ts: EPOCH_HEADER): a random id made when the history starts.
 * Ids count up within one epoch and start again in a new one (a server restarted with `--memory`, a Redis that lost
 * its data), so a client sends the epoch its last id counts in, and forgets that id when an answer has a new epoch:
 * the server has answered from the new history's start. `onEpoch` hears each one (the page resets its pane).
 */
export function trackEpoch(onEpoch?: (epoch: string) => void) {
  let known = "";
  return {
    /** `&epoch=…` to follow `?since=…`, once an epoch is known. */
    param: () => (known ? `&${EPOCH_PARAM}=${encodeURIComponent(known)}` : ""),
    /** Notes an answer's epoch; true if it is a new one (the last id counted in another history). */
    isNew(epoch: string | null | undefined): boolean {
      if (!epoch || epoch === known) return false;
      known = epoch;
      onEpoch?.(epoch);
      return true;
    },
  };
}
