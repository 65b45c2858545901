import type { Locator } from "playwright";
import { describe, expect, it } from "vitest";
import { useBrowser } from "../support/browser.ts";
import { getMessages, postMessage, useServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

// Step 2 made visible: the naive pane marks what it shows again and counts it, the fixed pane shows each message once.
const server = useServer(); // a fresh chat of its own: K is known
const open = useBrowser();

/** Messages in the history, the lesson's "first message" included. */
const K = 6;
const POLLS = 4;

const figure = async (pane: Locator, name: string) =>
  (await pane.locator(`[data-counter="${name}"]`).textContent()) ?? "";
/** The polls this pane has made so far, as the page counts them (the counters show the server's, a second late). */
const pollsMade = async (pane: Locator) => Number(await pane.getAttribute("data-requests-made"));
/** "24 / 6" → [24, 6] (grouping separators of either language dropped). */
const shownAndUnique = async (pane: Locator) =>
  (await figure(pane, "shown")).split("/").map((part) => Number(part.replace(/\D/g, "")));

describe("the naive pane (step 2)", () => {
  it("shows the history again every second, marks each repeat with its count, and counts shown / unique", async () => {
    while ((await getMessages(server().url)).length < K)
      await postMessage(server().url, { user: "e2e", text: "hello again" });
    const page = await open(`${server().url}/?left=naive&right=polling`);
    const naive = page.locator('.pane[data-mode="naive"]');
    const fixed = page.locator('.pane[data-mode="polling"]');
    await waitFor(async () => (await pollsMade(naive)) >= POLLS, { what: `${POLLS} naive polls`, timeoutMs: 60_000 });

    // Read the requests on both sides of the figure: a poll in flight counts as a request before its messages show.
    const before = await pollsMade(naive);
    const [shown, unique] = await shownAndUnique(naive);
    const after = await pollsMade(naive);
    expect(unique).toBe(K);
    expect(shown).toBeGreaterThanOrEqual((before - 1) * K);
    expect(shown).toBeLessThanOrEqual(after * K);
    expect(shown).toBeGreaterThanOrEqual(POLLS * K - K); // the repetition, as a figure: ≈ polls × K

    // On screen: the first copy of each message plain, every later one dimmed with its count. Read in one go: the
    // next poll may add a copy between two reads.
    const copiesOfFirst = await naive.locator('.messages li[data-id="1"]').evaluateAll((items) =>
      items.map((item) => ({
        again: item.classList.contains("again"),
        times: item.querySelector(".times")?.textContent,
        shown: Number(item.getAttribute("data-shown")),
      })),
    );
    const copies = copiesOfFirst.length;
    expect(copies).toBeGreaterThanOrEqual(POLLS - 1);
    expect(copiesOfFirst[0]!.again).toBe(false);
    const last = copiesOfFirst.at(-1)!;
    expect(last.again).toBe(true); // beside the sender's mark (from-server) where it has one
    expect(last.times).toBe(`shown ${copies}×`);
    expect(last.shown).toBe(copies);

    // And it grows: one more poll, K more shown, the same K unique.
    await waitFor(async () => (await shownAndUnique(naive))[0]! >= shown + K, { what: "the next poll's repeats" });
    expect((await shownAndUnique(naive))[1]).toBe(K);

    // The fixed pane beside it: each message once.
    expect(await shownAndUnique(fixed)).toEqual([K, K]);
    expect(await fixed.locator(".messages li.again").count()).toBe(0);
  });

  it("says it in Turkish too", async () => {
    const page = await open(`${server().url}/?left=naive&right=polling&interval=200`, { locale: "tr-TR" });
    const naive = page.locator('.pane[data-mode="naive"]');
    await naive.locator('.messages li[data-shown="2"] .times').first().waitFor();
    expect(await naive.locator('.messages li[data-shown="2"] .times').first().textContent()).toBe("2. kez");
    expect(await naive.locator('dt:text("gösterilen / farklı mesaj")').count()).toBe(1);
  });
});
