import { describe, expect, it } from "vitest";
import { stepFromUrl } from "../../../../clients/page/presenter/presenter.ts";
import { SLIDES } from "../../../../clients/page/presenter/slides.ts";
import { MAX_BOT_RATE } from "../../../../shared/class-protocol.ts";

describe("stepFromUrl", () => {
  it("reads ?present=N from 1, and starts at the first step otherwise", () => {
    expect(stepFromUrl("?present=3", 9)).toBe(2);
    expect(stepFromUrl("?present", 9)).toBe(0);
    expect(stepFromUrl("?present=", 9)).toBe(0);
    expect(stepFromUrl("?left=sse", 9)).toBe(0);
  });

  it("keeps the step in range, whatever the URL says", () => {
    expect(stepFromUrl("?present=99", 9)).toBe(8);
    expect(stepFromUrl("?present=0", 9)).toBe(0);
    expect(stepFromUrl("?present=-2", 9)).toBe(0);
    expect(stepFromUrl("?present=2.5", 9)).toBe(0);
    expect(stepFromUrl("?present=abc", 9)).toBe(0);
  });
});

describe("the slides", () => {
  it("have unique ids and every field in both languages", () => {
    expect(new Set(SLIDES.map((slide) => slide.id)).size).toBe(SLIDES.length);
    for (const slide of SLIDES) {
      for (const text of Object.values(slide.text)) {
        for (const [field, value] of Object.entries(text)) expect(value.trim(), `${slide.id} ${field}`).not.toBe("");
      }
    }
  });

  it("set bot rates the server accepts", () => {
    for (const slide of SLIDES.filter((s) => s.bot !== undefined)) {
      expect(slide.bot).toBeGreaterThanOrEqual(0);
      expect(slide.bot).toBeLessThanOrEqual(MAX_BOT_RATE);
    }
  });
});
