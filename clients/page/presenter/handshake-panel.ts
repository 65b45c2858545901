import { HANDSHAKE_PARAM, PATHS, type HandshakeFrame } from "../../../shared/protocol.ts";
import { computeAccept } from "../../../shared/websocket-accept.ts";
import { element } from "../ui/dom.ts";
import { translated, type StringKey } from "../ui/i18n.ts";

/** The headers the upgrade is about; the panel highlights them among the browser's many others. */
const UPGRADE_HEADERS = new Set([
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-accept",
]);

const label = <K extends keyof HTMLElementTagNameMap>(tag: K, key: StringKey, className?: string) =>
  translated(element(tag, className), key);

/** One HTTP message, a line per header, the CRLF that ends each line shown. */
function headLines(lines: string[]): HTMLOListElement {
  const list = element("ol", "head-lines");
  for (const [i, line] of [...lines, ""].entries()) {
    const item = element("li");
    const colon = line.indexOf(": ");
    if (i === 0) {
      item.className = "start-line";
      item.append(element("span", undefined, line));
    } else if (colon > 0) {
      const name = line.slice(0, colon);
      if (UPGRADE_HEADERS.has(name.toLowerCase())) item.className = "upgrade-header";
      item.dataset.header = name.toLowerCase();
      item.append(element("span", "name", name), ": ", element("span", "value", line.slice(colon + 2)));
    }
    item.append(element("span", "crlf", "\\r\\n"));
    list.append(item);
  }
  return list;
}

const headerValue = (lines: string[], name: string) =>
  lines
    .find((line) => line.toLowerCase().startsWith(`${name}:`))
    ?.slice(name.length + 1)
    .trim();

/**
 * The handshake panel: opens its own socket to `/ws?handshake` (a fresh key each time), shows the request and
 * the 101 that the server echoes in the first frame, and works out Sec-WebSocket-Accept from that key right here.
 *
 * Long on purpose: the handshake as a reader follows it, request then answer, top to bottom.
 */
export function createHandshakePanel(): HTMLDetailsElement {
  const panel = element("details", "handshake-panel");
  panel.id = "handshake";
  const summary = label("summary", "handshake.summary");
  const again = label("button", "handshake.again");
  again.type = "button";
  const note = label("p", "handshake.note", "note");
  const state = element("p", "handshake-state");
  state.dataset.handshake = "state";
  const body = element("div", "handshake-body");
  panel.append(summary, again, note, state, body);

  let socket: WebSocket | undefined;

  async function show(frame: HandshakeFrame) {
    const key = headerValue(frame.request, "sec-websocket-key") ?? "";
    const sent = headerValue(frame.response, "sec-websocket-accept") ?? "";
    const computation = await computeAccept(key);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(frame.response[0] ?? "")?.[1] ?? "?";

    const request = element("div", "head");
    request.append(label("h3", "handshake.request"), headLines(frame.request));
    const response = element("div", "head");
    response.dataset.status = status;
    response.append(label("h3", "handshake.response"), headLines(frame.response));

    const accept = element("div", "accept");
    const steps = element("dl");
    const step = (key: StringKey, value: string, field: string) => {
      const dd = element("dd", undefined, value);
      dd.dataset.field = field;
      steps.append(label("dt", key), dd);
    };
    step("handshake.key", computation.key, "key");
    step("handshake.concatenated", computation.concatenated, "concatenated");
    step("handshake.sha1", computation.sha1Hex, "sha1");
    step("handshake.base64", computation.accept, "accept");
    step("handshake.server", sent, "server-accept");
    const verdict = label("p", sent === computation.accept ? "handshake.match" : "handshake.mismatch", "verdict");
    verdict.dataset.match = String(sent === computation.accept);
    accept.append(label("h3", "handshake.accept"), steps, verdict);

    body.replaceChildren(request, response, accept);
    state.hidden = true;
    // The proof is the point of the step: in view as soon as it is there, not below the fold of its panel.
    if (panel.open) verdict.scrollIntoView({ block: "nearest" });
  }

  function handshake() {
    socket?.close();
    body.replaceChildren();
    state.hidden = false;
    translated(state, "handshake.waiting");
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${PATHS.socket}?${HANDSHAKE_PARAM}`;
    const current = new WebSocket(url);
    socket = current;
    let done = false;
    current.onmessage = (event) => {
      const frame = JSON.parse(event.data) as Partial<HandshakeFrame>;
      if (!frame.request || !frame.response) return; // told apart by its shape
      done = true;
      current.close(1000); // the panel only wanted the handshake; the chat panes have their own sockets
      show(frame as HandshakeFrame);
    };
    current.onclose = (event) => {
      if (!done && socket === current) translated(state, "handshake.failed", { code: event.code }); // the reason, if any, is the server's English
    };
  }

  panel.addEventListener("toggle", () => panel.open && !body.hasChildNodes() && handshake());
  again.addEventListener("click", handshake);
  return panel;
}
