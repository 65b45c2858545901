import type { Page } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES } from "../../clients/page/ui/i18n.ts";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { useBrowser } from "../support/browser.ts";
import { readDoc } from "../support/doc-paths.ts";
import { useServer } from "../support/server.ts";
import { studentRelay } from "../support/student.ts";

// A Turkish page shows no English sentence: every word a person reads comes from the Turkish table, server errors
// included (the server sends a code, the page words it). Kept English terms (docs/glossary.md) and code, which reads
// the same in both tables (setInterval(poll, 1000), 304 Not Modified), are allowed.
const server = useServer();
const open = useBrowser();

const { en: EN, tr: TR } = LANGUAGES;

/** Words that only an English sentence has: two of them in one text is English. ("on", "an" are Turkish words.) */
const ENGLISH = new Set(
  "the is are was were by of to and with from this that for not be has have your you it its or no can will there".split(
    " ",
  ),
);

/** The glossary's Turkish column, whose English terms are kept on purpose, and what both tables write alike. */
const KEPT = [
  ...[...readDoc("docs/glossary.md").matchAll(/^\| [^|]+\| ([^|]+)\|/gm)].flatMap((row) =>
    [...row[1]!.matchAll(/`([^`]+)`/g)].map((span) => span[1]!),
  ),
  ...Object.keys(EN)
    .filter((key) => EN[key as keyof typeof EN] === TR[key as keyof typeof TR])
    .flatMap((key) => TR[key as keyof typeof TR].split(/\{\w+\}/)),
]
  .map((term) => term.trim())
  .filter((term) => term.length > 1)
  .sort((a, b) => b.length - a.length);

/** The English table's sentences, as the literal pieces between their placeholders. */
const ENGLISH_PIECES = Object.keys(EN)
  .filter((key) => EN[key as keyof typeof EN] !== TR[key as keyof typeof TR])
  .flatMap((key) => EN[key as keyof typeof EN].split(/\{\w+\}/))
  .map((piece) => piece.trim())
  .filter((piece) => piece.length >= 12 && piece.includes(" "));

/** What a person sees: visible text, and the titles, placeholders and labels a pointer or a reader shows. */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (parent.closest("ol.messages, script, style")) continue; // the chat's messages are people's own words
      if (node.textContent!.trim() && parent.checkVisibility()) texts.push(node.textContent!.trim());
    }
    for (const element of document.querySelectorAll<HTMLElement>("[title], [placeholder], [aria-label]")) {
      if (!element.checkVisibility()) continue;
      for (const name of ["title", "placeholder", "aria-label"]) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    texts.push(document.title); // the tab's name
    return texts;
  });
}

/** The English sentences among `texts`. */
function english(texts: string[]): string[] {
  return texts.filter((text) => {
    if (ENGLISH_PIECES.some((piece) => text.includes(piece))) return true;
    let rest = text;
    for (const term of KEPT) rest = rest.split(term).join(" ");
    const words = new Set(rest.toLowerCase().match(/[a-z']+/g) ?? []);
    return [...words].filter((word) => ENGLISH.has(word)).length >= 2;
  });
}

describe("a Turkish page shows no English", () => {
  it("the check itself catches the server's English and the English table", () => {
    expect(english(["sending is locked by the teacher", EN["class.join.hint"], TR["class.join.hint"]])).toEqual([
      "sending is locked by the teacher",
      EN["class.join.hint"],
    ]);
  });

  describe("a student's tab (from 127.0.0.2)", () => {
    let relay: Awaited<ReturnType<typeof studentRelay>>;
    beforeAll(async () => {
      relay = await studentRelay(server().port);
    });
    afterAll(async () => {
      server().classroom.locked = false;
      await relay.close();
    });

    it("words the lock refusal in Turkish, from POST /messages and from a socket's error frame", async () => {
      const page = await open(`${relay.url}/`, { locale: "tr-TR" });
      const polling = page.locator('main .pane[data-mode="polling"]');
      const socket = page.locator('main .pane[data-mode="socket"]');
      await socket.locator(".status", { hasText: /^bağlı$/ }).waitFor();
      // Typed before the lock: the page disables the box once it learns of the lock (pane-room.ts), at a moment of
      // its own, so the send is the form's own submit, which runs whether or not that has happened yet.
      for (const pane of [polling, socket]) await pane.locator('input[name="text"]').fill("merhaba");
      server().classroom.locked = true;

      for (const pane of [polling, socket]) {
        await pane.locator("form.send").evaluate((form: HTMLFormElement) => form.requestSubmit());
        await pane.locator(".error", { hasText: TR["class.locked"] }).waitFor();
      }
      expect(english(await visibleTexts(page))).toEqual([]);

      // Switched to English in place, the refusal follows.
      await page.locator("#language").selectOption("en");
      expect(await polling.locator(".error").textContent()).toBe(EN["class.locked"]);
    });
  });

  it("the teacher's chat, every slide of presenter mode, and the class view", async () => {
    const page = await open(`${server().url}/?present`, { locale: "tr-TR" });
    await page.locator("aside.slides .slide h2").waitFor();
    for (const slide of SLIDES) {
      await page.locator("aside.slides .slide h2", { hasText: slide.text.tr.title }).waitFor();
      expect(english(await visibleTexts(page)), slide.id).toEqual([]);
      await page.keyboard.press("ArrowRight");
    }

    const view = await open(`${server().url}${CLASS_PATHS.page}`, { locale: "tr-TR" });
    await view.locator(".roster").waitFor();
    await view.locator(".controls").waitFor();
    expect(english(await visibleTexts(view))).toEqual([]);
    expect(await view.title()).toBe(TR["class.page-title"]);
    expect(await page.title()).toBe(TR["top.title"]);
  });
});
