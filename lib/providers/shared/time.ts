import { offsetlessTimeNote } from "./drift";

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Strict ISO 8601 date-time. `Date.parse` alone accepts free-form strings, rolls Feb 30 over to
 * March and reads offset-less times in the server's zone; a missing offset is read as UTC (the
 * providers' databases keep UTC) so the result does not depend on where the dashboard runs.
 */
export function parseIsoTimestamp(value: string): Date | null {
  const match = ISO_TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  if (Number(month) < 1 || Number(month) > 12 || Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) {
    return null;
  }
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(day) < 1 || Number(day) > daysInMonth) return null;
  let text = value.trim().replace(" ", "T");
  if (match[7] === undefined) text += "Z";
  else if (/^[+-]\d{2}$/.test(match[7])) text += ":00";
  else if (/^[+-]\d{4}$/.test(match[7])) text = text.slice(0, -2) + ":" + text.slice(-2);
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export type TimeRead = { ok: true; date: Date | null; note: string | null } | { ok: false; error: string };

const HAS_OFFSET = /(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * A provider's event time, which the history needs: missing → null (the received time stands in),
 * anything but an ISO 8601 time → an error a person can act on. Every provider reads a time without
 * an offset the same way, as UTC, and says so in a drift note.
 */
export function readEventTime(value: unknown, path: string): TimeRead {
  if (value === undefined || value === null || value === "") return { ok: true, date: null, note: null };
  if (typeof value !== "string") return { ok: false, error: `${path} is a ${Array.isArray(value) ? "array" : typeof value}; expected an ISO 8601 time such as 2026-03-11T00:00:00Z` };
  const date = parseIsoTimestamp(value);
  if (date === null) return { ok: false, error: `${path} ${JSON.stringify(value.slice(0, 60))} is not an ISO 8601 time such as 2026-03-11T00:00:00Z` };
  return { ok: true, date, note: HAS_OFFSET.test(value.trim()) ? null : offsetlessTimeNote(path) };
}
