import { formatBytes } from "../../../shared/format-bytes.ts";
import { language, type Language } from "./i18n.ts";

/** Numbers as the page's language writes them (Intl.NumberFormat): "1,234" in English, "1.234" in Turkish. */
export const formatNumber = (value: number, lang: Language = language(), options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(lang, options).format(value);

/** A duration in whole milliseconds: "1,250 ms", "1.250 ms". */
export const formatMs = (ms: number, lang: Language = language()) => `${formatNumber(Math.round(ms), lang)} ms`;

/** Bytes with the language's decimal mark: "23.4 kB" in English, "23,4 kB" in Turkish. */
export const formatPageBytes = (bytes: number, lang: Language = language()) => formatBytes(bytes, lang);
