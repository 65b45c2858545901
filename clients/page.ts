import { mountClassroom } from "./classroom.ts";
import { measureClockOffset } from "./clock.ts";
import { MODES, type ModeName } from "./modes.ts";
import { createPane } from "./pane.ts";

/** Which panes each page shows: `/` both, side by side; `/polling` and `/socket` one each, for two real tabs. */
const PAGES: Record<string, ModeName[]> = {
  "/": ["polling", "socket"],
  "/polling": ["polling"],
  "/socket": ["socket"],
};

const params = new URLSearchParams(location.search);
const interval = Math.max(50, Number(params.get("interval")) || 1000);
const panes = PAGES[location.pathname] ?? PAGES["/"]!;

const nameInput = document.querySelector<HTMLInputElement>("#user")!;
nameInput.value = localStorage.getItem("user") ?? `student-${Math.floor(Math.random() * 9000 + 1000)}`;
nameInput.addEventListener("change", () => localStorage.setItem("user", nameInput.value));

let clockOffset = 0;
const offsetLabel = document.querySelector<HTMLElement>("#clock-offset")!;
measureClockOffset()
  .then((offset) => {
    clockOffset = offset;
    offsetLabel.textContent = `${offset >= 0 ? "+" : ""}${Math.round(offset)} ms`;
  })
  .catch(() => (offsetLabel.textContent = "unknown"));

const main = document.querySelector("main")!;
main.dataset.panes = String(panes.length);
for (const mode of panes) {
  if (!(mode in MODES)) continue;
  main.append(createPane({ mode, interval, clockOffset: () => clockOffset, userName: () => nameInput.value }));
}

// The chat bot: one switch for the whole room, kept on the server.
const botBox = document.querySelector<HTMLInputElement>("#bot")!;
const botRate = document.querySelector<HTMLInputElement>("#bot-rate")!;
async function setBot(rate: number) {
  const response = await fetch("/bot", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ rate }),
  });
  const body = (await response.json()) as { rate?: number };
  botBox.checked = (body.rate ?? 0) > 0;
}
botBox.addEventListener("change", () => setBot(botBox.checked ? Number(botRate.value) : 0));
botRate.addEventListener("change", () => botBox.checked && setBot(Number(botRate.value)));
fetch("/bot")
  .then((response) => response.json())
  .then((body: { rate: number }) => {
    botBox.checked = body.rate > 0;
    if (body.rate > 0) botRate.value = String(body.rate);
  });

mountClassroom();
