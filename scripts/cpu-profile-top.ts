/**
 * `npx tsx scripts/cpu-profile-top.ts FILE.cpuprofile [N] [--last MS]`: the N frames (default 12) that took the most
 * self time in a V8 CPU profile (`node --cpu-prof`, or the bench's BENCH_CPU_PROF=<dir>), as a Markdown table: each
 * frame's self time as a share of the busy time (idle and GC are shown apart), and where it lives, made short
 * (node_modules' package, or the repo's path). `--last MS` keeps the profile's last MS only: a bench run's publishing
 * and drain, without the start (tsx compiling the server) that would otherwise fill the table. What
 * docs/bench-rivals.md's "profiles" tables are.
 */
import { readFileSync } from "node:fs";
import { basename, relative } from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  endTime: number;
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface TopFrame {
  frame: string;
  where: string;
  selfMs: number;
  /** Of the busy time: everything but (idle) and (program)'s idle wait. */
  share: number;
}

/** Where a frame's code lives, short: `hono/dist/…` for a package, `server/…` for ours, `node:…` for Node's. */
export function shortWhere(url: string, line: number): string {
  if (!url) return "";
  const path = url.replace(/^file:\/\//, "");
  const inPackage = path.lastIndexOf("node_modules/");
  const short =
    inPackage >= 0
      ? path.slice(inPackage + "node_modules/".length)
      : path.startsWith("/")
        ? relative(process.cwd(), path)
        : path;
  return `${short}:${line + 1}`;
}

/** Self time per frame (name and place), summed over the profile's samples, most first. */
export function topFrames(
  profile: CpuProfile,
  count: number,
  lastMs = Number.POSITIVE_INFINITY,
): { frames: TopFrame[]; busyMs: number; idleMs: number; gcMs: number } {
  const from = profile.endTime - lastMs * 1000;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { frame: string; where: string; micros: number }>();
  let idle = 0;
  let gc = 0;
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (at < from) return;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += micros;
    if (functionName === "(idle)") {
      idle += micros;
      return;
    }
    if (functionName === "(garbage collector)") gc += micros;
    const frame = functionName || "(anonymous)";
    const where = shortWhere(url, lineNumber);
    const key = `${frame}@${where}`;
    const entry = self.get(key) ?? self.set(key, { frame, where, micros: 0 }).get(key)!;
    entry.micros += micros;
  });
  const busy = total - idle;
  const frames = [...self.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count)
    .map(({ frame, where, micros }) => ({ frame, where, selfMs: micros / 1000, share: busy ? micros / busy : 0 }));
  return { frames, busyMs: busy / 1000, idleMs: idle / 1000, gcMs: gc / 1000 };
}

export function formatTop(name: string, top: ReturnType<typeof topFrames>): string {
  const lines = [
    `${name}: busy ${top.busyMs.toFixed(0)} ms (GC ${top.gcMs.toFixed(0)} ms), idle ${top.idleMs.toFixed(0)} ms`,
    "",
    "| self % of busy | self ms | frame | where |",
    "| ---: | ---: | --- | --- |",
    ...top.frames.map(
      (f) =>
        `| ${(f.share * 100).toFixed(1)} | ${f.selfMs.toFixed(0)} | \`${f.frame}\` | ${f.where ? `\`${f.where}\`` : ""} |`,
    ),
  ];
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { last: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [file, count] = positionals;
  if (!file || values.help) {
    console.log("usage: npx tsx scripts/cpu-profile-top.ts FILE.cpuprofile [N] [--last MS]");
    process.exitCode = values.help ? 0 : 2;
  } else {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const last = values.last === undefined ? undefined : Number(values.last);
    console.log(formatTop(basename(file), topFrames(profile, Number(count ?? 12), last)));
  }
}
