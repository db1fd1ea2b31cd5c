import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AifError } from '../../core/errors.js';
import { iterateCsvRecords, splitCsvLine } from './csv.js';

const records = (text: string) => [...iterateCsvRecords(text)];

describe('iterateCsvRecords (RFC 4180)', () => {
  it('splits plain lines on commas and keeps empty fields', () => {
    expect(records('a,b,c\n1,,3\n,,\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
      { line: 3, fields: ['', '', ''] },
    ]);
  });

  it('reads quoted fields holding commas and doubled quotes', () => {
    expect(splitCsvLine('1,"a, b","say ""hi""",""')).toEqual(['1', 'a, b', 'say "hi"', '']);
  });

  it('lets a quoted line break span lines and numbers later records by their real line', () => {
    expect(records('x,"two\nlines",y\r\nnext,row\n')).toEqual([
      { line: 1, fields: ['x', 'two\nlines', 'y'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('treats CRLF and LF alike, drops a byte-order mark and skips empty lines', () => {
    expect(records('\uFEFFa,b\r\n\r\n"c",d\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['c', 'd'] },
    ]);
  });

  it('reads the last record without a final line break, quoted or not', () => {
    expect(records('a,b\n1,"2"')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(records('a,"b"\r')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });

  it('refuses an unterminated quoted field, naming the line where it opened', () => {
    expect(() => records('a,b\n1,"open\n2,3\n')).toThrow(/line 2: quoted field is never closed/);
  });

  it('refuses a quote inside an unquoted field', () => {
    expect(() => records('a,b"c\n')).toThrow(/line 1: quote inside an unquoted field \(column 2\)/);
  });

  it('refuses text after a closing quote', () => {
    expect(() => records('"a"b,c\n')).toThrow(AifError);
    expect(() => records('"a"b,c\n')).toThrow(/text after a closing quote/);
  });

  it('splitCsvLine refuses text holding two records', () => {
    expect(() => splitCsvLine('a\nb')).toThrow(/exactly one CSV record, found 2/);
  });

  it('reads back any fields written with RFC 4180 quoting (round trip)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        (rows) => {
          const encode = (f: string): string =>
            /[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f;
          const text = rows.map((r) => r.map(encode).join(',')).join('\r\n');
          expect(records(text).map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
});
