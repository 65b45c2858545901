import { CLASS_PATHS, type BotBody } from "../../shared/class-protocol.ts";
import { linkKey, SINGLE_PANE_PAGES, TRANSPORTS, type TransportId } from "../../shared/transports.ts";
import { mountClassroom } from "./presenter/page-controls.ts";
import { CLOCK_RESYNC_MS, ServerClock } from "./ui/clock.ts";
import { liveRegion } from "./ui/announcer.ts";
import { element } from "./ui/dom.ts";
import { onLanguageChange, translated } from "./ui/i18n.ts";
import { formatNumber } from "./ui/numbers.ts";
import { createPane } from "./pane/pane.ts";
import { mountServerStatus } from "./ui/server-status.ts";
import { isTeacher, keepTeacherToken, teacherPost, warnIfTokenRefused } from "./presenter/teacher-mode.ts";

keepTeacherToken(); // first: the teacher URL's token leaves the address bar before anything else reads it
import { mountTopBar } from "./ui/top-bar.ts";

/** `/` shows two panes, `?left=<id>&right=<id>`; by default polling vs WebSocket, as in the lesson. */
const SIDES = ["left", "right"] as const;
const DEFAULT_PAIR: TransportId[] = ["polling", "socket"];

const params = new URLSearchParams(location.search);
const interval = Math.max(50, Number(params.get("interval")) || 1000);
const isTransport = (id: string | null): id is TransportId => id !== null && Object.hasOwn(TRANSPORTS, id);
/** A page with one pane (`/polling`, `/socket`…), for two real tabs side by side. */
const single = SINGLE_PANE_PAGES.get(location.pathname);
const panes = single
  ? [single]
  : SIDES.map((side, i) => {
      const picked = params.get(side);
      return isTransport(picked) ? picked : DEFAULT_PAIR[i]!;
    });

// The top bar's links: after "both", each transport's page of its own.
const links = document.querySelector(".links")!;
for (const [path, id] of SINGLE_PANE_PAGES) {
  const link = translated(element("a"), linkKey(id));
  link.href = path;
  links.append(" · ", link);
}
links.append(" · ", Object.assign(translated(element("a"), "top.class"), { href: CLASS_PATHS.page }));

const nameInput = document.querySelector<HTMLInputElement>("#user")!;
nameInput.value = localStorage.getItem("user") ?? `student-${Math.floor(Math.random() * 9000 + 1000)}`;
nameInput.addEventListener("change", () => localStorage.setItem("user", nameInput.value));

const clock = new ServerClock();
const clockOffset = () => clock.offset;
const offsetLabel = document.querySelector<HTMLElement>("#clock-offset")!;
const showOffset = () => {
  if (!clock.best) return;
  const { offset, rtt } = clock.best;
  const signed = formatNumber(Math.round(offset), undefined, { signDisplay: "exceptZero" });
  offsetLabel.textContent = `${signed} ms (±${formatNumber(Math.ceil(rtt / 2))})`;
};
const syncClock = () =>
  clock
    .sync()
    .then(showOffset)
    .catch(() => clock.best || translated(offsetLabel, "top.clock.unknown"));
syncClock();
onLanguageChange(showOffset);
// `#quiet` (the bench's browser tabs): nothing on the wire but the transports' own traffic inside its measuring
// windows: no later clock measurement, and the panes do not read their totals back (pane-totals.ts).
// A fragment, not a query: it never goes on the wire, not even in a Referer, so the tab's requests stay a user's.
const quiet = location.hash === "#quiet";
// `?bare` (bench/scenarios/tab-cost.ts): the panes without their strip and counters, the baseline our page's cost is measured
// against, in the same run.
const bare = params.has("bare");
if (!quiet) for (const delay of CLOCK_RESYNC_MS) setTimeout(syncClock, delay);

mountServerStatus();
// Asked once: the panes let the teacher send while students are locked out, and the page says if a token is refused.
let teacher = false;
const teacherKnown = isTeacher().then((answer) => {
  teacher = answer;
  warnIfTokenRefused(answer);
  return answer;
});

const main = document.querySelector("main")!;
main.dataset.panes = String(panes.length);
const { region, announcer } = liveRegion();
main.append(region);
panes.forEach((mode, i) => {
  // On `/` the picked transport goes into the URL, so a reload or a shared link shows the same two panes.
  const onModeChange = single
    ? undefined
    : (picked: TransportId) => {
        const url = new URL(location.href);
        url.searchParams.set(SIDES[i]!, picked);
        history.replaceState(null, "", url);
      };
  const announce = (text: string) => announcer.update(String(i), text);
  main.append(
    createPane({
      mode,
      interval,
      clockOffset,
      userName: () => nameInput.value,
      onModeChange,
      announce,
      readTotals: !quiet && !bare,
      bare,
      isTeacher: () => teacher,
    }),
  );
});

// The chat bot: one switch for the whole room, kept on the server; the teacher's alone (shown only to them).
const botBox = document.querySelector<HTMLInputElement>("#bot")!;
const botRate = document.querySelector<HTMLInputElement>("#bot-rate")!;
teacherKnown.then((answer) => (botBox.closest("label")!.hidden = !answer));
async function setBot(rate: number) {
  const body = await teacherPost<BotBody>(CLASS_PATHS.bot, { rate }).catch(() => ({ rate: 0 }));
  botBox.checked = body.rate > 0;
}
botBox.addEventListener("change", () => setBot(botBox.checked ? Number(botRate.value) : 0));
botRate.addEventListener("change", () => botBox.checked && setBot(Number(botRate.value)));
fetch(CLASS_PATHS.bot)
  .then((response) => response.json())
  .then((body: { rate: number }) => {
    botBox.checked = body.rate > 0;
    if (body.rate > 0) botRate.value = String(body.rate);
  });

mountTopBar();
mountClassroom();
