import { labelKey, slidesPair, toggleKey, TRANSPORT_IDS, type TransportId } from "../../../shared/transports.ts";
import { element } from "../ui/dom.ts";
import { translated } from "../ui/i18n.ts";

/** Keys that turn the slides (clients/page/presenter/presenter.ts): on a closed menu they would silently switch the transport. */
const NOT_A_CHOICE = new Set(["ArrowLeft", "ArrowRight", "PageUp", "PageDown"]);

export interface PaneHeader {
  header: HTMLElement;
  status: HTMLElement;
  /** Shows `mode`: the menu, the slides' box, the title and the blurb. */
  show(mode: TransportId, interval: number): void;
}

/** A pane's header: the transport menu and the slides' box above the title, its blurb and its status line. */
export function createPaneHeader(choose: (mode: TransportId) => void): PaneHeader {
  const header = element("header");
  const title = element("h2");
  const blurb = element("p", "blurb");
  const status = element("p", "status");
  header.append(title, blurb, status);

  // Any transport in this pane: picking one restarts the pane with it.
  const picker = element("select", "mode-picker");
  translated(picker, "pane.picker", undefined, "aria-label");
  // The menu changes only when someone picks from it: Up/Down, a click, or typing a name, not a slide key.
  picker.addEventListener("keydown", (event) => NOT_A_CHOICE.has(event.key) && event.preventDefault());
  for (const id of TRANSPORT_IDS) picker.append(translated(new Option("", id), labelKey(id, "name")));
  picker.addEventListener("change", () => choose(picker.value as TransportId));

  // A transport with a slides' version (shared/transports.ts) gets a box to switch to it and back.
  const naiveToggle = element("label", "naive-toggle");
  const naiveBox = element("input");
  naiveBox.type = "checkbox";
  const naiveLabel = element("span");
  naiveToggle.append(naiveBox, " ", naiveLabel);
  naiveBox.addEventListener("change", () => {
    const pair = slidesPair(picker.value as TransportId);
    if (pair) choose(naiveBox.checked ? pair.slides : pair.fixed);
  });
  // The pane's own controls on a row of their own, above the title: they wrap on a phone instead of squeezing it.
  const controls = element("div", "pane-controls");
  controls.append(picker, naiveToggle);
  header.prepend(controls);

  const show = (mode: TransportId, interval: number) => {
    picker.value = mode;
    const pair = slidesPair(mode);
    naiveToggle.hidden = !pair;
    naiveBox.checked = mode === pair?.slides;
    if (pair) translated(naiveLabel, toggleKey(pair.slides));
    translated(title, labelKey(mode, "title"), { interval });
    translated(blurb, labelKey(mode, "blurb"));
  };
  return { header, status, show };
}
