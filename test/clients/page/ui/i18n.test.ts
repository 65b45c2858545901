import { describe, expect, it } from "vitest";
import { LANGUAGES, language, t, type StringKey } from "../../../../clients/page/ui/i18n.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the string tables", () => {
  it("give every key a non-empty text in every language", () => {
    for (const [code, table] of Object.entries(LANGUAGES)) {
      for (const [key, text] of Object.entries(table)) expect(text.trim(), `${code} ${key}`).not.toBe("");
    }
  });

  it("keep the same placeholders in every translation", () => {
    for (const key of Object.keys(LANGUAGES.en) as StringKey[]) {
      expect(placeholders(LANGUAGES.tr[key]), key).toEqual(placeholders(LANGUAGES.en[key]));
    }
  });
});

describe("t", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(language()).toBe("en"); // Node has no stored choice and no Turkish navigator
    expect(t("present.step", { n: 2, total: 9 })).toBe("step 2 of 9");
    expect(t("present.step", { n: 2 })).toBe("step 2 of {total}");
    expect(t("transport.polling.title", { interval: 250 })).toBe("Polling · every 250 ms");
  });
});
