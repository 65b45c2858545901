/**
 * Bytes as the page's counters and the bench's tables show them: B below 10 000, then kB, then MB; "–" for no figure.
 * Without a locale, the bench's plain "23.4 kB"; with one (the page passes its language), that language's decimal
 * mark: "23,4 kB" in Turkish. No thousands separator either way, so both read the same.
 */
export const formatBytes = (bytes: number, locale?: string) => {
  if (!Number.isFinite(bytes)) return "–";
  const digits = (value: number, places: number) => {
    if (locale === undefined) return value.toFixed(places);
    const options = { minimumFractionDigits: places, maximumFractionDigits: places, useGrouping: false };
    return new Intl.NumberFormat(locale, options).format(value);
  };
  if (bytes < 10_000) return `${digits(Math.round(bytes), 0)} B`;
  return bytes < 10_000_000 ? `${digits(bytes / 1000, 1)} kB` : `${digits(bytes / 1e6, 1)} MB`;
};
