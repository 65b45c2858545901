import { round } from "../analysis/aggregate.ts";
import { formatTable } from "./print.ts";
import { BOT_RATE, bare, type ClassRunResult, TAB_BUDGET, type TabCostResult } from "../scenarios/tab-cost.ts";
import { leastSquares } from "../analysis/slopes.ts";
const pct = (n: number) => (Number.isFinite(n) ? `${round(n, 2)} %` : "–");

/** Whether a page is within its budget with the bot on: one pane's tab, or the projector page. */
const budgetOf = (path: string) => (/\/(\?bare)?$/.test(path) ? TAB_BUDGET.projector : TAB_BUDGET.pane);

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

export function formatClassRun(result: ClassRunResult): string[] {
  const rows = [["tab", "page", "seen", "median ms", "p90 ms", "CPU", "elements"]];
  for (const [i, tab] of result.tabs.entries()) {
    rows.push([
      String(i + 1),
      tab.path,
      `${tab.seen}/${result.posted}`,
      String(Math.round(tab.medianMs)),
      String(Math.round(tab.p90Ms)),
      pct(tab.cpu),
      String(tab.elements),
    ]);
  }
  const range = (path: string, pick: (tab: ClassRunResult["tabs"][number]) => number, unit: string) => {
    const values = result.tabs.filter((tab) => tab.path === path).map(pick);
    return `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}${unit}`;
  };
  return [
    `The class in real tabs: ${result.tabs.length} Chromium tabs (half /polling, half /socket), the bot at ${result.rate} msg/s for ${result.seconds} s;`,
    `latency = when the item appeared in the tab − the message's sentAt (one machine, one clock); CPU: renderer main thread,`,
    `% of one core (CDP, thread time); load average ${round(result.loadAverage[0], 2)} → ${round(result.loadAverage[1], 2)}.`,
    "",
    formatTable(rows),
    "",
    `opened in       ${round(result.openSeconds, 1)} s (every tab showing the chat)`,
    `/socket median  ${range("/socket", (tab) => tab.medianMs, " ms")}, CPU ${range("/socket", (tab) => tab.cpu, " %")}`,
    `/polling median ${range("/polling", (tab) => tab.medianMs, " ms")}, CPU ${range("/polling", (tab) => tab.cpu, " %")}`,
    `server CPU      ${round(result.serverCpu, 2)} % of one core over the bot's window`,
  ];
}
