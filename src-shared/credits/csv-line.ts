export type CsvLine = { ok: true; fields: string[] } | { ok: false; problem: string };

const quote = 34;
const comma = 44;

/**
 * Splits one CSV line (RFC 4180 quoting: `"a, b"`, `"say ""hi"""`). A quoted
 * field cannot span lines, so one broken quote spoils one line, not the rest
 * of the file. Unquoted fields are trimmed; quoted ones are kept as written.
 */
export function splitCsvLine(line: string): CsvLine {
  if (!line.includes('"')) return { ok: true, fields: line.split(",").map((f) => f.trim()) };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i += 1;
    if (line.charCodeAt(i) === quote) {
      let value = "";
      let from = i + 1;
      for (;;) {
        const close = line.indexOf('"', from);
        if (close < 0) return { ok: false, problem: "a quoted field is not closed on its line" };
        value += line.slice(from, close);
        if (line.charCodeAt(close + 1) === quote) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      while (line[i] === " " || line[i] === "\t") i += 1;
      if (i < line.length && line.charCodeAt(i) !== comma) return { ok: false, problem: "text after a closing quote" };
      fields.push(value);
    } else {
      const end = line.indexOf(",", i);
      const raw = end < 0 ? line.slice(i) : line.slice(i, end);
      if (raw.includes('"')) return { ok: false, problem: "a quote inside an unquoted field (quote the whole field and double the quote)" };
      fields.push(raw.trim());
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return { ok: true, fields };
    i += 1;
    if (i === line.length) {
      fields.push("");
      return { ok: true, fields };
    }
  }
}

const plainNumber = /^-?\d+(\.\d+)?$/;

/**
 * One cell, safe to open in a spreadsheet: text starting with = + - @ (or a
 * tab or CR) is prefixed with ' so it is never run as a formula. A plain
 * number is left alone, as it cannot be one.
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
