/** Limits that keep the traffic counting (server/counting/) bounded. */

/**
 * Panes whose traffic the server attributes (`?p=`, server/counting/pane-traffic.ts) at once; past this the one seen longest ago
 * is forgotten, so made-up pane ids cannot grow the table without bound. The per-transport totals keep counting.
 */
export const MAX_TRACKED_PANES = 10_000;

/** A pane is a connected client of its transport while it has a request, socket or stream open, and this long after. */
export const PANE_SEEN_MS = 5000;
