/** The `value` of each `{value, type}` entry of a list (Greenhouse phone_numbers, Ashby phoneNumbers); anything else is skipped. */
export function listValues(list: unknown): unknown[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => (entry && typeof entry === "object" ? (entry as { value?: unknown }).value : undefined));
}
