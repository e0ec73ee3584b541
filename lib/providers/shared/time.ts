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
