/**
 * Every process the bench starts runs an entry file named `<name>-entry.ts`, the one naming rule for them: knip
 * treats them as entry points (knip.json), and this is the one place that turns a name into a file.
 */
import { fileURLToPath } from "node:url";

/** A child entry's file, from its path under bench/ without the suffix: entryFile("servers/server") is servers/server-entry.ts. */
export const entryFile = (name: string): string => fileURLToPath(new URL(`../${name}-entry.ts`, import.meta.url));
