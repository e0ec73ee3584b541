import { HttpError } from "./errors";

/** Opaque keyset cursors: the sort key of the last row seen, base64url-encoded. */
export function encodeCursor(values: (string | Date)[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString("base64url");
}

export function decodeCursor(cursor: string, types: ("date" | "string")[]): (string | Date)[] {
  const invalid = () => new HttpError(400, "invalid_cursor", "cursor is not one this API issued; start again without it");
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== types.length || values.some((v) => typeof v !== "string")) throw invalid();
  return values.map((v: string, i) => {
    if (types[i] === "string") return v;
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) throw invalid();
    return date;
  });
}
