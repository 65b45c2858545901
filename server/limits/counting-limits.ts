/** Limits that keep the traffic counting (server/counting/) bounded. */

/**
 * Panes whose traffic the server attributes (`?p=`, server/counting/pane-traffic.ts) at once; past this the one seen longest ago
 * is forgotten, so made-up pane ids cannot grow the table without bound. The per-transport totals keep counting.
 */
export const MAX_TRACKED_PANES = 10_000;

/**
 * Panes one client address may have tracked at once: a new id past it pushes out that address's closed pane seen
 * longest ago (never one with a request, socket or stream open), so one student's made-up ids cannot push out
 * the room's. A class behind one NAT address: 30 phones with two panes each, reloaded a few times, fit.
 */
export const MAX_PANES_PER_ADDRESS = 256;

/** A pane is a connected client of its transport while it has a request, socket or stream open, and this long after. */
export const PANE_SEEN_MS = 5000;
