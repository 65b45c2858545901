/** Bytes as the page's counters and the bench's tables show them: B below 10 000, then kB, then MB; "–" for no figure. */
export const formatBytes = (bytes: number) =>
  !Number.isFinite(bytes) ? "–" : bytes < 10_000 ? `${Math.round(bytes)} B` : bytes < 10_000_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
