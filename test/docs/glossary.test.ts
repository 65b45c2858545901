import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../clients/page/ui/i18n.ts";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { readDoc } from "../support/doc-paths.ts";

// docs/glossary.md names one Turkish word for each idea and the words rejected for it; the page, the slides, the
// walkthrough and the README's Turkish box must not use a rejected word in their Turkish prose.

interface Entry {
  english: string;
  chosen: string[];
  rejected: string[];
}

const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The rows of the glossary's table: English | Türkçe | not | why. */
function glossary(markdown: string): Entry[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| English") && !line.startsWith("| ---"))
    .map((line) => {
      const [english, chosen, rejected] = line.split(" | ").map((cell) => cell.replace(/^\| ?/, "").trim());
      return { english: english!, chosen: spans(chosen!), rejected: spans(rejected!) };
    });
}

/** The lesson's own English (its slide "Polling ile İlgili Sorunlar", its handshake headers), quoted beside ours. */
const LESSON_ENGLISH = /High (?:latency|CPU usage|bandwidth usage)|Upgrade: websocket|Connection: Upgrade/g;

/** A token that is code, not Turkish: a call, a path, a tag, camelCase, a dotted or hyphenated name. */
const CODE_TOKEN = /[\p{L}\p{N}]\(|[/<>{}=_$#]|[\p{L}\p{N}][.:-][\p{L}\p{N}]|\p{Ll}\p{Lu}/u;

/**
 * The Turkish prose of a text: fenced code (not Mermaid, whose labels are read), code spans, link targets, URLs,
 * npm commands and identifier-like tokens removed.
 */
function prose(text: string): string {
  return text
    .replace(LESSON_ENGLISH, " ")
    .replace(/^```(?!mermaid)[\s\S]*?^```/gm, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\]\([^)\s]*\)/g, "] ")
    .replace(/<?https?:\/\/[^\s>]*>?/g, " ")
    .replace(/\bnpm (?:run |start)[\w:-]*(?: -- [^\s,;)]+)*/g, " ")
    .split(/(\s+)/)
    .map((token) => (CODE_TOKEN.test(token) ? " " : token))
    .join("");
}

const lower = (text: string) => text.toLocaleLowerCase("tr");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A word or phrase on its own (a suffix after an apostrophe still counts: "socket'i" is "socket"). */
const asWord = (phrase: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${lower(phrase).split(" ").map(escapeRegExp).join("\\s+")}(?![\\p{L}\\p{N}])`, "gu");

/** Where a rejected word appears in `text`, once the chosen forms (which may gloss it: "aracı (broker)") are out. */
function misuses(text: string, entries: Entry[]): string[] {
  let plain = lower(prose(text));
  for (const form of entries.flatMap((entry) => entry.chosen)) plain = plain.replace(asWord(form), " ");
  return entries.flatMap((entry) =>
    entry.rejected.flatMap((word) =>
      [...plain.matchAll(asWord(word))].map((m) => {
        const around = plain.slice(Math.max(0, m.index! - 30), m.index! + word.length + 30).replace(/\s+/g, " ");
        return `"${word}" (${entry.english}) in "…${around}…"`;
      }),
    ),
  );
}

/** The README's Turkish box: the quoted block under "Dersi çalıştırmak". */
function readmeBox(): string {
  const lines = readDoc("README.md").split("\n");
  const start = lines.findIndex((line) => line.includes("**Dersi çalıştırmak**"));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith(">"));
  return lines
    .slice(start, end)
    .map((line) => line.replace(/^> ?/, ""))
    .join("\n");
}

const ENTRIES = glossary(readDoc("docs/glossary.md"));
const TEXTS: [string, string][] = [
  ...Object.entries(LANGUAGES.tr).map(([key, text]): [string, string] => [`clients/page/ui/i18n.ts ${key}`, text]),
  ...SLIDES.flatMap((slide) =>
    Object.entries(slide.text.tr).map(([field, text]): [string, string] => [`slide ${slide.id} ${field}`, text]),
  ),
  ["docs/walkthrough.tr.md", readDoc("docs/walkthrough.tr.md")],
  ["README.md, Dersi çalıştırmak", readmeBox()],
];

describe("docs/glossary.md", () => {
  it("gives every idea one Turkish word and the words it rejects", () => {
    expect(ENTRIES.length).toBeGreaterThan(30);
    for (const entry of ENTRIES) {
      expect(entry.chosen.length, entry.english).toBeGreaterThan(0);
      expect(entry.rejected.length, entry.english).toBeGreaterThan(0);
      for (const word of entry.rejected) expect(entry.chosen.map(lower), entry.english).not.toContain(lower(word));
    }
  });

  it("is what the README's Turkish box holds", () => {
    expect(readmeBox()).toContain("npm start");
    expect(readmeBox().split("\n").length).toBeGreaterThan(10);
  });

  it.each(TEXTS)("%s uses the glossary's words", (_, text) => {
    expect(misuses(text, ENTRIES)).toEqual([]);
  });
});

describe("the checker itself", () => {
  const entries: Entry[] = [
    { english: "socket", chosen: ["soket"], rejected: ["socket"] },
    { english: "broker", chosen: ["aracı (broker)", "aracı"], rejected: ["broker"] },
    { english: "naive", chosen: ["naif"], rejected: ["saf"] },
  ];

  it("finds a rejected word in prose, in any case and with a suffix", () => {
    expect(misuses("Bir socket açar.", entries)).toHaveLength(1);
    expect(misuses("Socket'i kapatır", entries)).toHaveLength(1);
    expect(misuses("Saf döngü", entries)).toHaveLength(1);
    expect(misuses("bir broker gerekir", entries)).toHaveLength(1);
  });

  it("leaves code, paths, commands, URLs, identifiers, other words and the chosen gloss alone", () => {
    const text = [
      "`socket` ve server/transports/socket-hub.ts, socketEvents() onOpen, SocketHub.broadcast()",
      "<http://localhost:8000/socket> [sayfa](../socket.md) npm run socket -- --quick",
      "WebSocket'in soketi; aracı (broker) burada; safça değil, safari değil",
      "```\nconst socket = 1;\n```",
    ].join("\n");
    expect(misuses(text, entries)).toEqual([]);
  });

  it("reads Mermaid labels as prose", () => {
    expect(misuses('```mermaid\nflowchart LR\n  S["socket sekmesi"]\n```', entries)).toHaveLength(1);
  });
});
