import path from "node:path";
import { readFileSync } from "node:fs";
import { quoteLeadingZeroNumbers } from "../ingest/decode-body";
import type { ProviderId } from "../providers/types";

// From the working directory, not import.meta.url: inside the Next server bundle the module's own
// URL no longer points at the sources, and the app always runs from the project root.
const providersDir = path.join(process.cwd(), "lib/providers");
const cache = new Map<string, unknown>();

/**
 * A provider's documented example, parsed, as the template a simulated body starts from. Read lazily
 * (only when histories are built) and cached; callers get a fresh deep copy to modify.
 */
export function fixtureJson<T = Record<string, unknown>>(provider: ProviderId, file: string): T {
  const key = `${provider}/${file}`;
  if (!cache.has(key)) {
    // Some documented examples hold numbers with leading zeros, which JSON forbids: read them as the ingest does.
    const { text } = quoteLeadingZeroNumbers(readFileSync(path.join(providersDir, key), "utf8"));
    cache.set(key, JSON.parse(text));
  }
  return structuredClone(cache.get(key)) as T;
}

/** `2023-11-01T10:00:00Z`: second precision, as Greenhouse and Talview write times. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2024-10-17T16:53:12+02:00`: local time at a fixed UTC offset, as idibu writes times. */
export function isoWithOffset(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
