/**
 * Reading values from plain-SQL rows the same way on both drivers: pg and PGlite return timestamptz
 * as Date and json/jsonb parsed, but a value that came through text (or an older driver setting)
 * arrives as a string. One place for that, for every plain-SQL read.
 */
export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** A `json_agg(…)` column: null when it aggregated no rows. */
export function jsonList<T>(value: unknown): T[] {
  if (value === null || value === undefined) return [];
  return (typeof value === "string" ? JSON.parse(value) : value) as T[];
}
