import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { contentDisposition, csvByteStream, csvFileName } from "./stream";
import { BOM, CsvRecordCounter, formatHeader, formatRow, guardFormula, isoCell, isoString, quoteField, rawCell } from "./writer";

describe("RFC 4180 writer", () => {
  it("quotes fields with comma, quote, CR or LF and doubles inner quotes", () => {
    expect(quoteField("plain")).toBe("plain");
    expect(quoteField("a,b")).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField("line\nbreak")).toBe('"line\nbreak"');
    expect(quoteField("cr\rhere")).toBe('"cr\rhere"');
    expect(quoteField("")).toBe("");
  });

  it("ends every record with CRLF and writes null as an empty field", () => {
    expect(formatRow(["a", null, undefined, "b"])).toBe("a,,,b\r\n");
    expect(formatHeader(["x", "y"])).toBe("x,y\r\n");
  });

  it("guards formula-looking text cells, not the cells we generate", () => {
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) expect(guardFormula(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(guardFormula("1+1")).toBe("1+1");
    expect(formatRow(['=HYPERLINK("http://evil","x")'])).toBe(`"'=HYPERLINK(""http://evil"",""x"")"\r\n`);
    expect(formatRow(["\rx"])).toBe(`"'\rx"\r\n`);
    expect(formatRow([rawCell(-5), isoCell(new Date("2026-01-01T00:00:00Z"))])).toBe("-5,2026-01-01T00:00:00.000Z\r\n");
  });

  it("round-trips awkward text through a real CSV parser", () => {
    const values = ['Doe, "Jo"', "multi\r\nline\nand\rCR", "emoji 👩‍💻🎉", "نور الهدى (RTL)", "=SUM(A1:A9)", "@mention", "-1", "+1", "\tTab", "", "plain"];
    const text = formatHeader(values.map((_, i) => `c${i}`)) + formatRow(values);
    const rows = parse(text, { bom: true, record_delimiter: "\r\n", relax_quotes: false }) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(values.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  });

  it("counts records by CRLF outside quotes, across chunk boundaries", () => {
    const text = formatHeader(["a", "b"]) + formatRow(["x\r\ny", "z"]) + formatRow(['"q"', "\r\n"]);
    for (const size of [1, 2, 3, 7, text.length]) {
      const counter = new CsvRecordCounter();
      for (let i = 0; i < text.length; i += size) counter.push(text.slice(i, i + size));
      expect(counter.count).toBe(3);
    }
  });
});

describe("CSV byte stream", () => {
  async function* chunks(log: string[]) {
    try {
      for (let i = 0; i < 100; i++) {
        log.push(`page ${i}`);
        yield `row ${i}\r\n`;
      }
    } finally {
      log.push("closed");
    }
  }

  it("prefixes the BOM once when asked", async () => {
    // Response.text() would drop the BOM: decode keeping it.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(csvByteStream(chunks([]), { bom: true })).arrayBuffer());
    expect(text.startsWith(BOM + "row 0\r\n")).toBe(true);
    expect(text.split(BOM)).toHaveLength(2);
    const bytes = new Uint8Array(await new Response(csvByteStream(chunks([]), { bom: true })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("pulls one chunk at a time and stops the generator when cancelled", async () => {
    const log: string[] = [];
    const reader = csvByteStream(chunks(log)).getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(log.filter((l) => l.startsWith("page")).length).toBeLessThanOrEqual(2);
    expect(log.at(-1)).toBe("closed");
  });

  it("stops the generator when the request signal aborts", async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const reader = csvByteStream(chunks(log), { signal: controller.signal }).getReader();
    await reader.read();
    controller.abort();
    await new Promise((r) => setTimeout(r, 10));
    expect(log.at(-1)).toBe("closed");
    expect((await reader.read()).done).toBe(true);
  });
});

describe("file names", () => {
  it("says what was exported", () => {
    expect(csvFileName("events", ["greenhouse", null, "stage_changed", "2026-01-01_2026-02-01"])).toBe("events-greenhouse-stage_changed-2026-01-01_2026-02-01.csv");
    expect(csvFileName("events", [])).toBe("events-all.csv");
    expect(csvFileName("events", ["q-José / \"x\""])).toBe("events-q-José_x.csv");
  });

  it("has an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("events-q-José.csv")).toBe(`attachment; filename="events-q-Jos_.csv"; filename*=UTF-8''events-q-Jos%C3%A9.csv`);
  });
});

describe("isoString", () => {
  it("equals toISOString, across days, years, negative times and the format's edges", () => {
    const samples = [0, 1, 999, 1000, 86_399_999, 86_400_000, -1, -86_400_001, 951_782_400_000, 1_704_067_230_123, 4_102_444_799_999,
      -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001, 1.5, NaN];
    let x = 1_700_000_000_000;
    for (let i = 0; i < 2000; i++) samples.push((x = (x * 48_271 + 11) % 4_000_000_000_000) - 1_000_000_000_000);
    for (const ms of samples) {
      const expected = Number.isNaN(ms) ? "throws" : new Date(ms).toISOString();
      let actual: string;
      try {
        actual = isoString(ms);
      } catch {
        actual = "throws";
      }
      expect(actual, String(ms)).toBe(expected);
    }
  });
});
