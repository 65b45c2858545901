import { EXERCISES, type ExerciseId, type Shown } from "../../shared/lab.ts";
import { PANE_PARAM } from "../../shared/protocol.ts";

/** What the frame tells the page: a `show()` (the message id, or null for something else) or an uncaught error. */
type FrameNote = { type: "show"; id: number | null; text: string } | { type: "error"; text: string };

/**
 * Runs inside the frame, before the student's code: `fetch` and `WebSocket` sent to this room's server (the lesson's
 * `localhost:8000` included) with the run's `?p=` tag, and `show()`. The frame's origin is opaque (sandbox without
 * allow-same-origin): it reads none of the page's storage, and the server takes none of its requests for the teacher's.
 */
function frameSetup(room: string, tag: string, param: string) {
  const roomUrl = new URL(room);
  const toRoom = (input: string | URL, socket: boolean) => {
    const url = new URL(String(input), room);
    if (url.hostname === "localhost" && url.port === "8000") url.host = roomUrl.host;
    if (socket) url.protocol = roomUrl.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set(param, tag);
    return url.toString();
  };
  const tell = (note: unknown) => parent.postMessage(note, "*");
  const nativeFetch = fetch;
  const NativeSocket = WebSocket;
  (globalThis as { fetch: typeof fetch }).fetch = (input, init) =>
    nativeFetch(toRoom(input instanceof Request ? input.url : input, false), init);
  (globalThis as { WebSocket: unknown }).WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(toRoom(url, true), protocols);
    }
  };
  const list = document.getElementById("messages")!;
  (globalThis as { show?: unknown }).show = (message: unknown) => {
    const m = message as { id?: unknown; user?: unknown; text?: unknown } | null;
    const id = typeof m?.id === "number" ? m.id : null;
    const text = m && typeof m === "object" ? `${String(m.user ?? "")}: ${String(m.text ?? "")}` : String(message);
    const line = document.createElement("div");
    line.textContent = id === null ? text : `#${id} ${text}`;
    list.append(line);
    tell({ type: "show", id, text });
  };
  addEventListener("error", (event) => tell({ type: "error", text: String(event.message) }));
  addEventListener("unhandledrejection", (event) => tell({ type: "error", text: String(event.reason) }));
}

/** The frame's document: the setup above, then the student's code as its own script (so its functions are global). */
function frameDocument(code: string, room: string, tag: string): string {
  const script = (source: string) => `<script>${source.replace(/<\/(script)/gi, "<\\/$1")}</script>`;
  const setup = `(${frameSetup.toString()})(${JSON.stringify(room)}, ${JSON.stringify(tag)}, ${JSON.stringify(PANE_PARAM)});`;
  return `<!doctype html><meta charset="utf-8"><style>body{font:13px monospace;margin:4px}</style><div id="messages"></div>${script(setup)}${script(code)}`;
}

export interface Sandbox {
  /** Removes the frame: its code, timers and sockets end with it, even an endless loop. */
  stop(): void;
}

/**
 * Runs `code` in a frame of its own: sandbox="allow-scripts" only, so an opaque origin; in Chromium a sandboxed
 * frame runs in its own process, so an endless loop there leaves the page's Stop button working.
 */
export function runInFrame(
  host: HTMLElement,
  code: string,
  run: { id: string; exercise: ExerciseId },
  on: { shown: (entry: Shown, text: string) => void; error: (text: string) => void; now: () => number },
): Sandbox {
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.title = "show()";
  const tag = `${run.id}.${EXERCISES[run.exercise].transport}`;
  frame.srcdoc = frameDocument(code, location.origin, tag);
  const listener = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow) return;
    const note = event.data as FrameNote;
    if (note?.type === "show") on.shown({ id: typeof note.id === "number" ? note.id : null, at: on.now() }, note.text);
    else if (note?.type === "error") on.error(String(note.text));
  };
  addEventListener("message", listener);
  host.replaceChildren(frame);
  return {
    stop() {
      removeEventListener("message", listener);
      frame.remove();
    },
  };
}
