import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";
import { useBrowser } from "../support/browser.ts";
import { FULL_HD, LOCALES, PHONE, PROJECTOR_1024, PROJECTOR_1280 } from "../support/screens.ts";
import { useServer } from "../support/server.ts";

// Every screen in the room, in real Chromium: projectors in presenter mode, phones on every page, in both languages.
const server = useServer();
const open = useBrowser();

const PROJECTORS = [PROJECTOR_1024, PROJECTOR_1280, FULL_HD];

/** What a person at the back of the room must see, measured in the page. */
const measure = (page: Page) =>
  page.evaluate(() => {
    const inside = (element: Element) => {
      const box = element.getBoundingClientRect();
      return (
        box.width > 0 &&
        box.left >= 0 &&
        box.top >= 0 &&
        box.right <= innerWidth + 0.5 &&
        box.bottom <= innerHeight + 0.5
      );
    };
    const slide = document.querySelector<HTMLElement>("aside.slides .slide");
    const ask = document.querySelector('aside.slides dd[data-field="ask"]');
    return {
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth,
      askInside: ask ? inside(ask) : undefined,
      slideInside: slide ? inside(slide) : undefined,
      /** Hidden by the slide's own scrolling: > 0 means part of it is out of sight. */
      slideHidden: slide ? slide.scrollHeight - slide.clientHeight : undefined,
      // Every counter, and the timeline strip under them (clients/page/pane/timeline.ts).
      countersOutside: [...document.querySelectorAll<HTMLElement | SVGElement>("main [data-counter], main .timeline")]
        .filter((element) => !inside(element))
        .map((element) => element.dataset.counter ?? "strip"),
    };
  });

describe.each(Object.entries(LOCALES))("presenter mode in %s", (language, locale) => {
  it.each(PROJECTORS)(
    "fits $width×$height: every slide whole, its question, both panes' counters and strips on screen",
    async (viewport) => {
      const page = await open(`${server().url}/?present`, { viewport, locale });
      expect(await page.locator("html").getAttribute("lang")).toBe(language);
      for (const [i, slide] of SLIDES.entries()) {
        if (i > 0) await page.keyboard.press("PageDown");
        await page.locator(`aside.slides .slide[data-slide="${slide.id}"]`).waitFor();
        await page.locator("main .pane .timeline").first().waitFor();
        const seen = await measure(page);
        const where = `${language} ${viewport.width}×${viewport.height} step ${i + 1}`;
        expect(seen.scrollWidth, `${where}: sideways scrolling`).toBeLessThanOrEqual(seen.innerWidth);
        expect(seen.askInside, `${where}: the question`).toBe(true);
        expect(seen.slideInside, `${where}: the slide`).toBe(true);
        expect(seen.slideHidden, `${where}: part of the slide scrolled away`).toBeLessThanOrEqual(1);
        expect(seen.countersOutside, `${where}: counters off screen`).toEqual([]);
      }
    },
  );
});

describe.each(Object.entries(LOCALES))("on a phone (390×844) in %s", (language, locale) => {
  it.each(["/", ...SINGLE_PANE_PAGES.keys()])(
    "%s never scrolls sideways, and its top bar folds to one short line",
    async (path) => {
      const page = await open(`${server().url}${path}`, { viewport: PHONE, locale });
      await page.locator("main .pane .timeline").first().waitFor();
      const seen = await measure(page);
      expect(seen.scrollWidth, `${language} ${path}`).toBeLessThanOrEqual(PHONE.width);
      const bar = page.locator("header.top");
      expect((await bar.boundingBox())!.height).toBeLessThanOrEqual(56);
      expect(await page.locator("#bot").isVisible()).toBe(false);

      // The rest of the bar opens below it, and still fits the screen's width.
      const toggle = page.locator("#top-toggle");
      expect(await toggle.getAttribute("aria-expanded")).toBe("false");
      await toggle.click();
      expect(await toggle.getAttribute("aria-expanded")).toBe("true");
      await page.locator("#bot").waitFor({ state: "visible" });
      expect(await page.locator("#present").isVisible()).toBe(true);
      expect((await measure(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
      await toggle.click();
      await page.locator("#bot").waitFor({ state: "hidden" });
    },
  );
});

/** Type as the back of the room sees it (issue 20): each kind of text's smallest size on screen, in CSS px. */
const typeSizes = (page: Page) =>
  page.evaluate(() => {
    const smallest = (selector: string) => {
      const sizes = [...document.querySelectorAll<Element>(selector)]
        .filter((element) => element.getClientRects().length > 0 && (element.textContent ?? "").trim() !== "")
        .map((element) => {
          const size = Number.parseFloat(getComputedStyle(element).fontSize);
          // SVG text is drawn in the strip's own units: its size on screen is scaled with the drawing.
          const scale = element instanceof SVGGraphicsElement ? Math.abs(element.getScreenCTM()?.d ?? 1) : 1;
          return size * scale;
        });
      return sizes.length > 0 ? Math.min(...sizes) : undefined;
    };
    return {
      counterLabels: smallest("main .pane dl dt"),
      timelineLabels: smallest("main .pane .timeline text"),
    };
  });

describe.each(Object.entries(LOCALES))("from the back of the room (1024×768) in %s", (language, locale) => {
  it("the projector's counter labels are at least 16 px, the timeline's labels at least 12 px", async () => {
    const page = await open(`${server().url}/?present`, { viewport: PROJECTOR_1024, locale });
    await page.locator("main .pane .timeline text").first().waitFor();
    const sizes = await typeSizes(page);
    expect(sizes.counterLabels, `${language}: counter labels`).toBeGreaterThanOrEqual(16);
    expect(sizes.timelineLabels, `${language}: timeline labels`).toBeGreaterThanOrEqual(12);
  });
});

describe.each(Object.entries(LOCALES))(
  "the class view from the back of the room (1024×768) in %s",
  (language, locale) => {
    it("its roster and chart captions are at least 16 px", async () => {
      const page = await open(`${server().url}${CLASS_PATHS.page}`, { viewport: PROJECTOR_1024, locale });
      await page.locator("figure[data-chart] canvas").first().waitFor();
      const smallest = await page.evaluate(() =>
        Math.min(
          ...[...document.querySelectorAll(".roster th, .roster td, figure[data-chart] figcaption")]
            .filter((element) => (element.textContent ?? "").trim() !== "")
            .map((element) => Number.parseFloat(getComputedStyle(element).fontSize)),
        ),
      );
      expect(smallest, `${language}: the class view's labels`).toBeGreaterThanOrEqual(16);
    });
  },
);

describe.each(Object.entries(LOCALES))("the class view on a phone (390×844) in %s", (language, locale) => {
  it("never scrolls sideways, and its charts stand apart", async () => {
    const page = await open(`${server().url}${CLASS_PATHS.page}`, { viewport: PHONE, locale });
    await page.locator("figure[data-chart] canvas").first().waitFor();
    const seen = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      charts: [...document.querySelectorAll("figure[data-chart]")].map((figure) => {
        const { left, right, top, bottom } = figure.getBoundingClientRect();
        return { chart: (figure as HTMLElement).dataset.chart!, left, right, top, bottom };
      }),
    }));
    expect(seen.scrollWidth, `${language}: sideways scrolling`).toBeLessThanOrEqual(PHONE.width);
    expect(seen.charts.length).toBeGreaterThan(1);
    for (const chart of seen.charts)
      expect(chart.right, `${chart.chart} inside the screen`).toBeLessThanOrEqual(PHONE.width);
    const overlapping = seen.charts.flatMap((a, i) =>
      seen.charts
        .slice(i + 1)
        .filter(
          (b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5,
        )
        .map((b) => `${a.chart} × ${b.chart}`),
    );
    expect(overlapping, `${language}: charts overlapping`).toEqual([]);
  });
});
