/** The events the Socket.IO rival emits and its clients listen to: the same two frames our /ws sends. */
export const SOCKETIO_EVENTS = { history: "history", message: "message" } as const;
