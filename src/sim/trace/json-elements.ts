/**
 * Lazy access to the top-level elements of a JSON array (`[{…}, {…}]`) or of JSON Lines, so a
 * large ShareGPT-style file is parsed one element at a time and every element knows the line
 * it starts on (for error messages). The scanner only finds element boundaries (strings,
 * brackets, commas); each element is then checked by `JSON.parse`.
 */
import type { FieldContext } from './fields.js';
import { traceLineError } from './fields.js';
import { iterateLines } from './lines.js';

export interface JsonElementText {
  /** 0-based position in the array (or among the non-blank lines). */
  index: number;
  /** 1-based line where the element starts. */
  line: number;
  /** The element's JSON text. */
  text: string;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Index just past the closing quote of the string that opens at `open`. */
function skipString(text: string, open: number, ctx: FieldContext): number {
  let from = open + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) throw traceLineError(ctx, 'a JSON string is never closed');
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * The top-level elements of `text`: a JSON array when the first non-blank character is `[`,
 * JSON Lines when it is `{`. O(length of text).
 * @throws AifError (E_INPUT_FORMAT) for text that is neither, an unclosed array or string, a
 *   trailing comma, or text after the array.
 */
export function* iterateJsonElements(
  text: string,
  ctx: Omit<FieldContext, 'line'>,
): Generator<JsonElementText, void, undefined> {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (; i < n && isSpace(text.charCodeAt(i)); i++) if (text.charCodeAt(i) === 10) line++;
  if (text[i] === '{') {
    let index = 0;
    for (const l of iterateLines(text)) yield { index: index++, line: l.line, text: l.text };
    return;
  }
  if (text[i] !== '[')
    throw traceLineError(
      { ...ctx, line },
      'expected a JSON array of conversations (`[`) or JSON Lines (`{`)',
    );
  i++;
  let index = 0;
  let afterComma = false;
  for (;;) {
    for (; i < n && isSpace(text.charCodeAt(i)); i++) if (text.charCodeAt(i) === 10) line++;
    if (i >= n) throw traceLineError({ ...ctx, line }, 'the JSON array is never closed');
    if (text[i] === ']') {
      if (afterComma) throw traceLineError({ ...ctx, line }, 'trailing comma before `]`');
      i++;
      break;
    }
    const start = i;
    const startLine = line;
    let depth = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = skipString(text, i, { ...ctx, line }) - 1;
      } else if (c === 123 || c === 91) {
        depth++;
      } else if (c === 125 || c === 93) {
        if (depth === 0) break;
        depth--;
      } else if (c === 44 && depth === 0) {
        break;
      } else if (c === 10) {
        line++;
      }
    }
    let end = i;
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
    yield { index: index++, line: startLine, text: text.slice(start, end) };
    if (i >= n) throw traceLineError({ ...ctx, line }, 'the JSON array is never closed');
    afterComma = text[i] === ',';
    if (afterComma) i++;
  }
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (!isSpace(c)) throw traceLineError({ ...ctx, line }, 'text after the JSON array');
  }
}
