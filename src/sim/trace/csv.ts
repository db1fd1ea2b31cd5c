/**
 * A small CSV reader for trace files, RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180):
 * fields are separated by commas and records by line breaks (LF or CRLF); a field may be
 * enclosed in double quotes, and then may hold commas, line breaks and quotes written twice
 * (`""` → `"`). Stricter than the RFC's "should": a quote inside an unquoted field, text after
 * a closing quote, and an unterminated quoted field are errors. Lenient where traces need it:
 * a byte-order mark is dropped and empty lines are not records. Fields are returned as
 * written (no trimming, no type conversion).
 */
import { AifError, ERROR_CODES } from '../../core/errors.js';

export interface CsvRecord {
  /** 1-based line where the record starts (a quoted line break makes a record span lines). */
  line: number;
  fields: string[];
}

export interface CsvErrorContext {
  /** Named in error messages, e.g. `burstgpt` or a file name. */
  source?: string;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

function csvError(ctx: CsvErrorContext, line: number, problem: string): AifError {
  const message = `${ctx.source ?? 'csv'} line ${line}: ${problem}`;
  return new AifError(ERROR_CODES.INPUT_FORMAT, message, [
    { path: '', message, line, expected: 'RFC 4180 CSV' },
  ]);
}

/** Count `\n` in text[from, to). */
function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The records of a CSV text, lazily, in order. Lines without a quote take a fast path
 * (`split(',')`); lines with quotes are read character by character. O(length of text).
 * @throws AifError (E_INPUT_FORMAT) naming the line of a quoting error.
 * @example [...iterateCsvRecords('a,"b,""c"""\r\n1,2\n')] →
 *   [{ line: 1, fields: ['a', 'b,"c"'] }, { line: 2, fields: ['1', '2'] }]
 */
export function* iterateCsvRecords(
  text: string,
  ctx: CsvErrorContext = {},
): Generator<CsvRecord, void, undefined> {
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = n;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    const startLine = line;
    const lineText = text.slice(pos, end);
    if (!lineText.includes('"')) {
      // Fast path: no quote on this line.
      if (lineText !== '') yield { line: startLine, fields: lineText.split(',') };
      pos = nl + 1;
      line++;
      continue;
    }
    // Slow path: a state machine from the start of the record; it may span lines.
    const fields: string[] = [];
    let i = pos;
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        field = '';
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) throw csvError(ctx, startLine, 'quoted field is never closed');
          field += text.slice(i, q);
          line += countNewlines(text, i, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            field += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE)
            throw csvError(
              ctx,
              line,
              `quote inside an unquoted field (column ${fields.length + 1})`,
            );
          j++;
        }
        field = text.slice(i, j);
        // A CR that ends the record belongs to the CRLF (or to the end of the text).
        if (field.endsWith('\r') && (j === n || text.charCodeAt(j) === LF))
          field = field.slice(0, -1);
        i = j;
      }
      fields.push(field);
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (i >= n) break;
      if (c === LF) {
        i++;
        line++;
        break;
      }
      if (c === CR && (i + 1 === n || text.charCodeAt(i + 1) === LF)) {
        i += 2;
        line++;
        break;
      }
      throw csvError(ctx, line, `text after a closing quote (column ${fields.length})`);
    }
    yield { line: startLine, fields };
    pos = i;
  }
}

/**
 * The fields of one CSV line (RFC 4180 quoting).
 * @throws AifError when the text holds no record or more than one, or on a quoting error.
 * @example splitCsvLine('1,"a, b",""') → ['1', 'a, b', '']
 */
export function splitCsvLine(lineText: string): string[] {
  const records = [...iterateCsvRecords(lineText)];
  if (records.length !== 1)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `splitCsvLine: expected exactly one CSV record, found ${records.length}`,
    );
  return records[0]!.fields;
}
