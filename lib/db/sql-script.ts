/**
 * Splits a migration script into statements the way PostgreSQL reads it: a `;` ends a statement
 * only outside quotes ('…', "…"), dollar quotes ($$…$$, $tag$…$tag$) and comments (-- …, /* … *\/).
 *
 * Why: @prisma/adapter-pg's `executeScript` (what the wasm schema engine applies migrations with)
 * splits on every `;`, which cuts a PL/pgSQL function body apart; the stock `prisma migrate deploy`
 * sends the script whole. Running these statements one by one gives the same result on both.
 */
export function splitSqlScript(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    if (c === "-" && script[i + 1] === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (c === "/" && script[i + 1] === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === "/" && script[i + 1] === "*") (depth++, (i += 2));
        else if (script[i] === "*" && script[i + 1] === "/") (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (script[i] === c) {
          if (script[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(script[i - 1] ?? "")) {
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else i++;
    } else if (c === ";") {
      out.push(script.slice(start, i));
      i++;
      start = i;
    } else i++;
  }
  out.push(script.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0 && !isOnlyComments(s));
}

function isOnlyComments(statement: string): boolean {
  return statement.replace(/--[^\n]*(\n|$)/g, "").replace(/\/\*[\s\S]*?\*\//g, "").trim().length === 0;
}
