import type { LabReport } from "../../shared/lab.ts";
import { element } from "../page/ui/dom.ts";
import { describe, labText } from "./words.ts";

/** The checklist: one line per criterion, green or red, the measured figure beside it (server/lab/checks.ts). */
export function renderChecklist(list: HTMLElement, wireLine: HTMLElement, report: LabReport): void {
  list.replaceChildren(
    ...report.checks.map((check) => {
      const { label, figure } = describe(check);
      const item = element("li");
      item.dataset.key = check.key;
      item.dataset.ok = String(check.ok);
      if (check.info) item.dataset.info = "true";
      item.append(element("strong", undefined, `${check.info ? "ℹ" : check.ok ? "✓" : "✗"} ${label}`));
      item.append(element("span", "figure", figure));
      return item;
    }),
  );
  list.dataset.passed = String(report.passed);
  const { wire } = report;
  wireLine.textContent = labText("wire", {
    requests: wire.requests,
    upgrades: wire.upgrades,
    received: wire.bytesIn ?? "–",
    sent: wire.bytesOut ?? "–",
  });
}
