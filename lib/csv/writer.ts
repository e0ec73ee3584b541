/**
 * RFC 4180 CSV writing, framework-free.
 *
 *   - Records end with CRLF (the last one too).
 *   - A field is quoted when it contains a comma, a double quote, CR or LF; inner quotes are doubled.
 *   - Text cells go through `guardFormula` first: a cell that a spreadsheet would read as a formula
 *     (leading `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`. Cells we generate ourselves
 *     (ISO timestamps, counts) are written with `rawCell` and are not guarded.
 */

export const CRLF = "\r\n";
/** U+FEFF: Excel reads the file as UTF-8 only when it starts with a byte order mark. */
export const BOM = "\uFEFF";

const needsQuotes = /[",\r\n]/;
const formulaStart = /^[=+\-@\t\r]/;

/** A spreadsheet would evaluate `=…`, `+…`, `-…`, `@…` (and tab/CR-led variants): neutralize with a leading `'`. */
export function guardFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** One field as RFC 4180 wants it (no formula guard). */
export function quoteField(text: string): string {
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell: text (guarded and quoted), or absent. */
export type Cell = string | null | undefined | RawCell;

/** A value we generated (ISO time, number): written as is, quoted only if needed, never guarded. */
export interface RawCell {
  raw: string;
}

export function rawCell(value: string | number | null | undefined): RawCell | null {
  return value === null || value === undefined ? null : { raw: String(value) };
}

export function isoCell(value: Date | string | null | undefined): RawCell | null {
  if (value === null || value === undefined) return null;
  return { raw: value instanceof Date ? value.toISOString() : new Date(value).toISOString() };
}

export function formatCell(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return quoteField(guardFormula(cell));
  return quoteField(cell.raw);
}

/** One CSV record, CRLF-terminated. */
export function formatRow(cells: readonly Cell[]): string {
  let out = "";
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += ",";
    out += formatCell(cells[i]);
  }
  return out + CRLF;
}

/** The header row (column names are ours: quoted if needed, never guarded). */
export function formatHeader(columns: readonly string[]): string {
  return columns.map(quoteField).join(",") + CRLF;
}

/** Counts the records in CSV text received so far: CRLFs outside quoted fields are record ends. */
export class CsvRecordCounter {
  private inQuotes = false;
  private lastWasCr = false;
  count = 0;

  push(chunk: string): number {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (ch === 34 /* " */) {
        this.inQuotes = !this.inQuotes; // "" inside a quoted field toggles twice: no net change
        this.lastWasCr = false;
      } else if (!this.inQuotes && ch === 13 /* \r */) {
        this.lastWasCr = true;
      } else {
        if (!this.inQuotes && ch === 10 /* \n */ && this.lastWasCr) this.count++;
        this.lastWasCr = false;
      }
    }
    return this.count;
  }
}
