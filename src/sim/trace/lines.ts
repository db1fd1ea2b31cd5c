/**
 * Lazy line splitting for line-oriented traces (JSONL), so a million-row trace streams one line
 * at a time instead of materialising `text.split('\n')`.
 */

export interface TextLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/**
 * The non-blank lines of `text`, in order, with their 1-based line numbers. Lines end at `\n`;
 * a `\r` before it (CRLF) is dropped, as is a byte-order mark at the start. Lines holding only
 * whitespace are not yielded (JSONL files often end with one). O(length of text).
 * @example [...iterateLines('a\r\n\nb')] → [{ line: 1, text: 'a' }, { line: 3, text: 'b' }]
 */
export function* iterateLines(text: string): Generator<TextLine, void, undefined> {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    const lineText = text.slice(pos, end);
    if (lineText.trim() !== '') yield { line, text: lineText };
    pos = nl + 1;
    line++;
  }
}
