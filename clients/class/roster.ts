import type { TransportTotals } from "../../shared/class-protocol.ts";
import { labelKey, type TransportId } from "../../shared/transports.ts";
import { element } from "../page/ui/dom.ts";
import { translated } from "../page/ui/i18n.ts";
import { formatNumber } from "../page/ui/numbers.ts";
import { CHARTED, COLORS } from "./class-charts.ts";

/** Who is here: one row per transport, its colour (the same as in the charts) and how many clients use it now. */
export function createRoster(): { root: HTMLElement; update(transports: Record<TransportId, TransportTotals>): void } {
  const root = element("section", "roster");
  const table = element("table");
  const head = element("tr");
  head.append(translated(element("th"), "class.transport"), translated(element("th"), "class.clients"));
  table.append(head);
  const cells = new Map<TransportId, HTMLElement>();
  for (const id of CHARTED) {
    const row = element("tr");
    const name = element("th");
    const swatch = element("span", "swatch");
    swatch.style.background = COLORS[id];
    name.append(swatch, translated(element("span"), labelKey(id, "name")));
    const count = element("td", "count", "0");
    count.dataset.transport = id;
    cells.set(id, count);
    row.append(name, count);
    table.append(row);
  }
  root.append(translated(element("h2"), "class.here"), table);
  return {
    root,
    update(transports) {
      for (const [id, cell] of cells) cell.textContent = formatNumber(transports[id].clients);
    },
  };
}
