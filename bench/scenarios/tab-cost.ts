/**
 * What our own page costs the device it runs on (issue 22): each tab's renderer CPU and DOM size, read from Chromium
 * through CDP `Performance.getMetrics` (task, script, layout and style time over a window, as % of one core; Nodes),
 * per page, idle and with the bot at 2 msg/s, beside a bare page (`?bare`: the same pane without its strip and
 * counters), all tabs in the same windows so the machine's other work weighs on them alike; then a shortened lesson
 * (the bot faster, windows in a row) whose slope says whether the cost grows with the messages. And the class run
 * (`npm run load -- --browser N`): N real tabs, half /polling and half /socket, each tab's delivery latency and CPU.
 */
import { loadavg } from "node:os";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { launchChromium } from "../clients/browser.ts";
import { ServerProcess } from "../servers/server-process.ts";

/** The budget (issue 22), % of one core with the bot at BOT_RATE: one pane's tab, and the two-pane projector page. */
export const TAB_BUDGET = { pane: 1, projector: 2.5 } as const;
/** The bot's rate in a lesson, messages per second. */
export const BOT_RATE = 2;

/** The pages measured, each beside its bare twin. */
const COST_PAGES = ["/polling", "/socket", "/"] as const;
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
async function openCostTab(browser: Browser, baseUrl: string, path: string, init?: () => void): Promise<CostTab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const cdp = await context.newCDPSession(page);
  // Thread time, not wall time: a task descheduled by the machine's other work is not counted as the page's CPU.
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  // Generous: on a loaded machine (30 tabs opening at once) a page can take a minute to load.
  await page.goto(new URL(path, baseUrl).href, { waitUntil: "domcontentloaded", timeout: 120_000 });
  return { path, page, context, cdp };
}

/** Every tab over the same `ms`: the growth of each duration over the window's own time (CDP's `Timestamp`). */
export async function measureWindow(tabs: readonly CostTab[], ms: number): Promise<TabCost[]> {
  // A tab that crashed or closed reads as not measured (NaN, "–"), and the others are still measured.
  const read = (tab: CostTab) => metrics(tab.cdp).catch((): Metrics => ({}));
  const before = await Promise.all(tabs.map(read));
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await Promise.all(tabs.map(read));
  const count = (tab: CostTab) =>
    tab.page.evaluate(() => document.querySelectorAll("*").length).catch(() => Number.NaN);
  const elements = await Promise.all(tabs.map(count));
  return tabs.map((tab, i) => {
    const [b, a] = [before[i]!, after[i]!];
    const seconds = (a.Timestamp ?? Number.NaN) - (b.Timestamp ?? Number.NaN);
    const share = (name: Duration) => (((a[name] ?? Number.NaN) - (b[name] ?? Number.NaN)) / seconds) * 100;
    return {
      path: tab.path,
      cpu: share("TaskDuration"),
      script: share("ScriptDuration"),
      layout: share("LayoutDuration"),
      style: share("RecalcStyleDuration"),
      nodes: a.Nodes ?? Number.NaN,
      elements: elements[i]!,
      heapMb: (a.JSHeapUsedSize ?? Number.NaN) / 2 ** 20,
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
    const opened = servers.flatMap(({ label, url }) =>
      COST_PAGES.flatMap((p) => [p, bare(p)]).map(async (path) => ({
        ...(await openCostTab(browser, url, path)),
        path: `${label}${path}`,
      })),
    );
    const tabs = await Promise.all(opened);
    await Promise.all(tabs.map((tab) => tab.page.waitForSelector(".pane li", { timeout: 120_000 })));
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

/**
 * Runs in each tab of the class run before the page's code: when each chat item (`li[data-id]`) first appeared, by
 * this machine's clock (the server's `sentAt` is on the same clock). The page itself is not changed.
 */
const RECORD_FIRST_SEEN = () => {
  const seen: Record<string, number> = {};
  (window as unknown as { __firstSeen: typeof seen }).__firstSeen = seen;
  new MutationObserver((records) => {
    const at = Date.now();
    for (const record of records) {
      for (const node of record.addedNodes) {
        const id = node instanceof HTMLElement ? node.dataset.id : undefined;
        if (id !== undefined && !(id in seen)) seen[id] = at;
      }
    }
  }).observe(document, { childList: true, subtree: true });
};

export interface ClassRunOptions {
  /** Tabs, half /polling and half /socket. */
  tabs: number;
  /** Seconds of the bot. */
  seconds: number;
  /** The bot's messages per second. */
  rate: number;
  onPhase?: (phase: string) => void;
}

export const CLASS_RUN_DEFAULTS: Omit<ClassRunOptions, "tabs"> = { seconds: 30, rate: BOT_RATE };

export interface ClassRunResult {
  tabs: { path: string; medianMs: number; p90Ms: number; seen: number; cpu: number; elements: number }[];
  posted: number;
  /** From the first tab's load to every tab showing the chat, s. */
  openSeconds: number;
  /** The server's CPU over the bot's window, % of one core. */
  serverCpu: number;
  seconds: number;
  rate: number;
  loadAverage: [number, number];
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** The class in real tabs (issue 22): each tab's delivery latency and renderer CPU while the bot talks. */
export async function runClass(options: ClassRunOptions): Promise<ClassRunResult> {
  const server = await ServerProcess.start();
  const browser = await launchChromium();
  const load = loadavg()[0]!;
  try {
    options.onPhase?.(`opening ${options.tabs} tabs`);
    const openedAt = Date.now();
    const paths = Array.from({ length: options.tabs }, (_, i) => (i % 2 === 0 ? "/polling" : "/socket"));
    const tabs = await Promise.all(paths.map((path) => openCostTab(browser, server.url, path, RECORD_FIRST_SEEN)));
    await Promise.all(tabs.map((tab) => tab.page.waitForSelector(".pane li", { timeout: 120_000 })));
    const openSeconds = (Date.now() - openedAt) / 1000;
    const before = await lastId(server.url);
    options.onPhase?.(`bot at ${options.rate} msg/s for ${options.seconds} s`);
    const cpuBefore = (await server.snapshot()) as { cpuUserMicros: number; cpuSystemMicros: number };
    const startedAt = Date.now();
    await setBot(server.url, options.rate);
    const costs = await measureWindow(tabs, options.seconds * 1000);
    await setBot(server.url, 0);
    const cpuAfter = (await server.snapshot()) as { cpuUserMicros: number; cpuSystemMicros: number };
    const windowMs = Date.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the last polls bring the last messages
    const messages = (await (await fetch(new URL("/messages", server.url))).json()) as { id: number; sentAt: number }[];
    const posted = messages.filter((message) => message.id > before);
    const result = await Promise.all(
      tabs.map(async (tab, i) => {
        const seen = await tab.page.evaluate(
          () => (window as unknown as { __firstSeen: Record<string, number> }).__firstSeen,
        );
        const latencies = posted.flatMap(({ id, sentAt }) => (seen[id] === undefined ? [] : [seen[id]! - sentAt]));
        const { cpu, elements } = costs[i]!;
        return {
          path: tab.path,
          medianMs: quantile(latencies, 0.5),
          p90Ms: quantile(latencies, 0.9),
          seen: latencies.length,
          cpu,
          elements,
        };
      }),
    );
    const serverMicros =
      cpuAfter.cpuUserMicros + cpuAfter.cpuSystemMicros - cpuBefore.cpuUserMicros - cpuBefore.cpuSystemMicros;
    return {
      tabs: result,
      posted: posted.length,
      openSeconds,
      serverCpu: (serverMicros / 1000 / windowMs) * 100,
      seconds: options.seconds,
      rate: options.rate,
      loadAverage: [load, loadavg()[0]!],
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
