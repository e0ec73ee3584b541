import { parsePhoneNumberFromString } from "libphonenumber-js/min";

/**
 * The identity rules of People (issue 17), as the app applies them outside SQL. The SQL functions
 * normalize_email / normalize_name (migration 20261202160702_people) are the same rules for the
 * database side; tests/integration/people.test.ts holds the two to the same answers.
 */

const EDGE_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** Trimmed and lower-cased; empty is none. Records whose normalized emails are equal are one person. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (typeof email !== "string") return null;
  const key = email.replace(EDGE_WHITESPACE, "").toLowerCase();
  // Without "@" it is no address ("[anonymized]", a placeholder): it links no one.
  return key === "" || !key.includes("@") ? null : key;
}

/** Case and runs of whitespace do not count; accents and punctuation do ("exact name"). */
export function normalizeName(name: string | null | undefined): string | null {
  if (typeof name !== "string") return null;
  const key = name.replace(EDGE_WHITESPACE, "").toLowerCase().replace(/\s+/g, " ");
  return key === "" ? null : key;
}

/**
 * E.164 (`+14155550123`) with libphonenumber-js, or null when the number is not a valid one.
 * Numbers without a country code are read in `defaultCountry` when given; ingest gives none, so
 * they are not matched: guessing a country would suggest strangers.
 */
export function normalizePhone(phone: string | null | undefined, defaultCountry?: string): string | null {
  if (typeof phone !== "string" || phone.length > 64) return null;
  const trimmed = phone.trim();
  if (trimmed === "") return null;
  try {
    const parsed = parsePhoneNumberFromString(trimmed, defaultCountry ? { defaultCountry: defaultCountry as never } : undefined);
    return parsed && parsed.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
}

/** Distinct valid E.164 numbers among the raw values a provider found in a snapshot. */
export function normalizePhones(values: readonly unknown[], defaultCountry?: string): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const phone = typeof value === "string" ? normalizePhone(value, defaultCountry) : null;
    if (phone) out.add(phone);
  }
  return [...out];
}
