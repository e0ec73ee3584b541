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
  return { raw: isoString(value instanceof Date ? value.getTime() : new Date(value).getTime()) };
}

const DAY_MS = 86_400_000;
/** Years 0000–9999: where toISOString's format is `YYYY-MM-DDTHH:mm:ss.sssZ`. */
const ISO_MIN_MS = -62_167_219_200_000;
const ISO_MAX_MS = 253_402_300_800_000;
let isoDay = NaN;
let isoDayPrefix = "";
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, computed from the time of day with the date part cached: an export
 * writes two times per row, mostly on a few days, and the runtime call costs more than the rest of
 * the row's cells.
 */
export function isoString(ms: number): string {
  if (!Number.isFinite(ms) || ms < ISO_MIN_MS || ms >= ISO_MAX_MS || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day).toISOString().slice(0, 11);
  }
  let rest = ms - day;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${isoDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}

/** A text cell as `formatCell` writes it (guarded and quoted; absent is empty), without the wrapper. */
export function textField(text: string | null | undefined): string {
  if (text === null || text === undefined) return "";
  return quoteField(guardFormula(text));
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
