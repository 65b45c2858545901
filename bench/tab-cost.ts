/**
 * What our own page costs the device it runs on (issue 22): each tab's renderer CPU and DOM size, read from Chromium
 * through CDP `Performance.getMetrics` (task, script, layout and style time over a window, as % of one core; Nodes),
 * per page, idle and with the bot at 2 msg/s, beside a bare page (`?bare`: the same pane without its strip and
 * counters), all tabs in the same windows so the machine's other work weighs on them alike; then a shortened lesson
 * (the bot faster, windows in a row) whose slope says whether the cost grows with the messages. And the class run
 * (`npm run load -- --browser N`): N real tabs, half /polling and half /socket, each tab's delivery latency and CPU.
 */
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright";
import { CLASS_PATHS } from "../shared/classroom.ts";
import { round } from "./aggregate.ts";
import { launchChromium } from "./browser.ts";
import { formatTable } from "./print.ts";
import { ServerProcess } from "./server-process.ts";
import { leastSquares } from "./slopes.ts";

/** The budget (issue 22), % of one core with the bot at BOT_RATE: one pane's tab, and the two-pane projector page. */
export const TAB_BUDGET = { pane: 1, projector: 2.5 } as const;
/** The bot's rate in a lesson, messages per second. */
export const BOT_RATE = 2;

/** The pages measured, each beside its bare twin. */
export const COST_PAGES = ["/polling", "/socket", "/"] as const;
export const bare = (path: string) => `${path}?bare`;

/** The renderer's durations read from `Performance.getMetrics` (seconds of main-thread time since the tab opened). */
const DURATIONS = ["TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration"] as const;
type Duration = (typeof DURATIONS)[number];

/** One tab over one window: CPU as % of a core (task, and the script, layout and style parts of it), DOM and heap. */
export interface TabCost {
  path: string;
  cpu: number;
  script: number;
  layout: number;
  style: number;
  /** DOM nodes at the window's end (CDP `Nodes`: those not yet collected too, so churn shows). */
  nodes: number;
  /** Elements in the document at the window's end. */
  elements: number;
  /** JS heap used at the window's end, MB. */
  heapMb: number;
}

/** A tab whose renderer can be read: its page and a CDP session with the Performance domain on. */
export interface CostTab {
  path: string;
  page: Page;
  context: BrowserContext;
  cdp: CDPSession;
}

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
}

/** Opens `path` in a tab of its own (its own context: its own connections), and waits for the chat's first item. */
export async function openCostTab(
  browser: Browser,
  baseUrl: string,
  path: string,
  init?: () => void,
): Promise<CostTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const cdp = await context.newCDPSession(page);
  // Thread time, not wall time: a task descheduled by the machine's other work is not counted as the page's CPU.
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  await page.goto(new URL(path, baseUrl).href);
  return { path, page, context, cdp };
}

/** Every tab over the same `ms`: the growth of each duration over the window's own time (CDP's `Timestamp`). */
export async function measureWindow(tabs: readonly CostTab[], ms: number): Promise<TabCost[]> {
  const before = await Promise.all(tabs.map((tab) => metrics(tab.cdp)));
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await Promise.all(tabs.map((tab) => metrics(tab.cdp)));
  const elements = await Promise.all(tabs.map((tab) => tab.page.evaluate(() => document.querySelectorAll("*").length)));
  return tabs.map((tab, i) => {
    const [b, a] = [before[i]!, after[i]!];
    const seconds = a.Timestamp! - b.Timestamp!;
    const share = (name: Duration) => ((a[name]! - b[name]!) / seconds) * 100;
    return {
      path: tab.path,
      cpu: share("TaskDuration"),
      script: share("ScriptDuration"),
      layout: share("LayoutDuration"),
      style: share("RecalcStyleDuration"),
      nodes: a.Nodes!,
      elements: elements[i]!,
      heapMb: a.JSHeapUsedSize! / 2 ** 20,
    };
  });
}

/** Turns the room's bot on (`rate` > 0) or off: from this machine, which the server takes for the teacher's. */
export async function setBot(baseUrl: string, rate: number): Promise<void> {
  const response = await fetch(new URL(CLASS_PATHS.bot, baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ rate }),
  });
  if (!response.ok) throw new Error(`POST ${CLASS_PATHS.bot} answered ${response.status}: ${await response.text()}`);
}

export interface TabCostOptions {
  /** Seconds of each measuring window (idle, bot). */
  seconds: number;
  /** The shortened lesson: its bot rate, and how many windows of `seconds` in a row. */
  lessonRate: number;
  lessonWindows: number;
  /** Servers already running, each measured alike in the same windows (a before/after comparison); their labels
   * go before each page's path. Default: one fresh server process of ours. */
  servers?: { label: string; url: string }[];
  onPhase?: (phase: string) => void;
}

export const TAB_COST_DEFAULTS: TabCostOptions = { seconds: 20, lessonRate: 20, lessonWindows: 6 };
export const TAB_COST_QUICK: TabCostOptions = { seconds: 6, lessonRate: 20, lessonWindows: 3 };

export interface TabCostResult {
  idle: TabCost[];
  bot: TabCost[];
  /** The shortened lesson's windows, each with the messages posted by its end. */
  lesson: { messages: number; tabs: TabCost[] }[];
  seconds: number;
  lessonRate: number;
  loadAverage: [number, number];
}

/** Measures every page of COST_PAGES and its bare twin on a fresh server, in one browser, in the same windows. */
export async function runTabCost(options: TabCostOptions): Promise<TabCostResult> {
  const started = options.servers ? undefined : await ServerProcess.start();
  const servers = options.servers ?? [{ label: "", url: started!.url }];
  const bots = (rate: number) => Promise.all(servers.map(({ url }) => setBot(url, rate)));
  const browser = await launchChromium();
  const load = loadavg()[0]!;
  try {
    options.onPhase?.("opening tabs");
    const tabs: CostTab[] = [];
    for (const { label, url } of servers) {
      for (const path of COST_PAGES.flatMap((p) => [p, bare(p)])) {
        const tab = await openCostTab(browser, url, path);
        tabs.push({ ...tab, path: `${label}${path}` });
      }
    }
    await Promise.all(tabs.map((tab) => tab.page.waitForSelector(".pane", { timeout: 15_000 })));
    await new Promise((resolve) => setTimeout(resolve, 2000)); // settled: the first paints and the clock's sync done
    options.onPhase?.("idle");
    const idle = await measureWindow(tabs, options.seconds * 1000);
    options.onPhase?.(`bot at ${BOT_RATE} msg/s`);
    await bots(BOT_RATE);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const bot = await measureWindow(tabs, options.seconds * 1000);
    options.onPhase?.(`a shortened lesson: bot at ${options.lessonRate} msg/s`);
    await bots(options.lessonRate);
    const lesson: TabCostResult["lesson"] = [];
    for (let i = 0; i < options.lessonWindows; i++) {
      const window = await measureWindow(tabs, options.seconds * 1000);
      lesson.push({ messages: await lastId(servers[0]!.url), tabs: window });
    }
    await bots(0);
    return {
      idle,
      bot,
      lesson,
      seconds: options.seconds,
      lessonRate: options.lessonRate,
      loadAverage: [load, loadavg()[0]!],
    };
  } finally {
    await browser.close();
    await started?.stop();
  }
}

/** The newest message's id: how many the chat holds (a fresh chat numbers from 1). */
async function lastId(baseUrl: string): Promise<number> {
  const messages = (await (await fetch(new URL("/messages", baseUrl))).json()) as { id: number }[];
  return messages.at(-1)?.id ?? 0;
}

const pct = (n: number) => `${round(n, 2)} %`;

/** Whether a page is within its budget with the bot on: one pane's tab, or the projector page. */
export const budgetOf = (path: string) => (/\/(\?bare)?$/.test(path) ? TAB_BUDGET.projector : TAB_BUDGET.pane);

export function formatTabCost(result: TabCostResult): string[] {
  const rows = [["page", "idle CPU", "bot CPU", "script", "layout", "style", "nodes", "elements", "heap MB", "budget"]];
  for (const [i, bot] of result.bot.entries()) {
    const idle = result.idle[i]!;
    const isBare = bot.path.endsWith("?bare");
    const budget = budgetOf(bot.path);
    rows.push([
      bot.path,
      pct(idle.cpu),
      pct(bot.cpu),
      pct(bot.script),
      pct(bot.layout),
      pct(bot.style),
      String(bot.nodes),
      String(bot.elements),
      String(round(bot.heapMb, 1)),
      isBare ? "" : `${bot.cpu <= budget ? "ok" : "OVER"} ≤ ${budget} %`,
    ]);
  }
  const lines = [
    `Our page's own cost (renderer main-thread CPU: CDP Performance.getMetrics TaskDuration in thread time, % of one core, over ${result.seconds} s`,
    `windows; bot at ${BOT_RATE} msg/s; load average ${round(result.loadAverage[0], 2)} → ${round(result.loadAverage[1], 2)}):`,
    "",
    formatTable(rows),
    "",
    "Ratio to the bare page in the same window (the pane without strip and counters), bot on:",
  ];
  for (const full of result.bot) {
    const plain = result.bot.find((c) => c.path === bare(full.path));
    if (plain)
      lines.push(
        `  ${full.path.padEnd(16)} ${round(full.cpu / plain.cpu, 2)}×  (${pct(full.cpu)} / ${pct(plain.cpu)})`,
      );
  }
  if (result.lesson.length > 1) {
    lines.push(
      "",
      `A shortened lesson: bot at ${result.lessonRate} msg/s, ${result.lesson.length} windows of ${result.seconds} s in a row;`,
      "CPU and elements per window, and the slope per 1,000 messages (least squares; flat is ~0):",
      "",
    );
    const lessonRows = [["page", ...result.lesson.map((w) => `${w.messages} msgs`), "CPU/1k msgs", "elements/1k msgs"]];
    for (const [i, tab] of result.lesson[0]!.tabs.entries()) {
      const cpu = leastSquares(result.lesson.map((w) => [w.messages / 1000, w.tabs[i]!.cpu]));
      const nodes = leastSquares(result.lesson.map((w) => [w.messages / 1000, w.tabs[i]!.elements]));
      lessonRows.push([
        tab.path,
        ...result.lesson.map((w) => `${pct(w.tabs[i]!.cpu)} ${w.tabs[i]!.elements}e`),
        cpu ? `${round(cpu.slope, 2)} pp` : "–",
        nodes ? String(Math.round(nodes.slope)) : "–",
      ]);
    }
    lines.push(formatTable(lessonRows));
  }
  return lines;
}

/** `tsx bench/tab-cost.ts [--quick] [--server label=url ...]`: the table alone (npm run bench -- --browser prints it too). */
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { quick: { type: "boolean" }, server: { type: "string", multiple: true } },
  });
  const servers = values.server?.map((pair) => {
    const [label, url] = pair.split("=");
    return { label: `${label} `, url: url! };
  });
  const base = values.quick ? TAB_COST_QUICK : TAB_COST_DEFAULTS;
  const result = await runTabCost({ ...base, servers, onPhase: (phase) => console.error(`tab cost: ${phase}`) });
  for (const line of formatTabCost(result)) console.log(line);
}
