import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iterateAzure, parseAzure } from './azure.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseAzure', () => {
  it('turns TIMESTAMP date-times into seconds after the first row, across midnight', () => {
    const result = parseAzure(fixture('azure.csv'));
    expect(result.records.map((r) => [r.promptTokens, r.outputTokens])).toEqual([
      [374, 44],
      [396, 109],
      [1024, 12],
    ]);
    const [a, b, c] = result.records.map((r) => r.arrivalSeconds);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(4.314579, 9); // 18:15:50.9951690 − 18:15:46.6805900
    expect(c).toBeCloseTo(20653.56941, 9); // 00:00:00.25 next day − 18:15:46.68059
  });

  it('skips and counts rows with zero generated tokens', () => {
    expect(parseAzure(fixture('azure.csv')).skipped).toEqual([
      { line: 4, reason: 'zero output tokens (GeneratedTokens = 0)' },
    ]);
  });

  it('applies written UTC offsets', () => {
    const text =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n' +
      '2024-05-10 00:00:00+00:00,10,1\n' +
      '2024-05-10 02:00:30+01:00,10,1\n';
    expect(parseAzure(text).records.map((r) => r.arrivalSeconds)).toEqual([0, 3630]);
  });

  it('finds columns by name whatever their order', () => {
    const text = 'GeneratedTokens,TIMESTAMP,ContextTokens\n3,2023-11-16 00:00:00,7\n';
    expect(parseAzure(text).records).toEqual([
      { arrivalSeconds: 0, promptTokens: 7, outputTokens: 3 },
    ]);
  });

  it('refuses a malformed TIMESTAMP naming line, field, value and the expected form', () => {
    const text =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,1,1\n16/11/2023,1,1\n';
    expect(() => parseAzure(text, { fileName: 'code.csv' })).toThrow(
      /azure code\.csv line 3: TIMESTAMP is "16\/11\/2023"; expected a date-time YYYY-MM-DD/,
    );
  });

  it('refuses a missing column, a short row, a non-integer count and mixed offsets', () => {
    expect(() => parseAzure('TIMESTAMP,ContextTokens\n')).toThrow(
      /header has no column "GeneratedTokens"/,
    );
    expect(() =>
      parseAzure('TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 00:00:00,1\n'),
    ).toThrow(/line 2: 2 fields; the header \(line 1\) has 3/);
    expect(() =>
      parseAzure('TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 00:00:00,1.5,1\n'),
    ).toThrow(/ContextTokens is "1.5"; expected a non-negative integer/);
    expect(() =>
      parseAzure(
        'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 00:00:00Z,1,1\n2023-11-16 00:00:01,1,1\n',
      ),
    ).toThrow(/line 3: TIMESTAMP .* expected a date-time with a UTC offset, like the first row/);
    expect(() => parseAzure('')).toThrow(/no header/);
  });

  it('sorts out-of-order rows in the array form and says so, while the stream refuses them', () => {
    const text =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n' +
      '2023-11-16 00:00:02,2,1\n' +
      '2023-11-16 00:00:01,1,1\n';
    const result = parseAzure(text);
    expect(result.records.map((r) => [r.arrivalSeconds, r.promptTokens])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(result.notes).toContain(
      '1 row arrived before the row above; records sorted by arrival (stable)',
    );
    expect(() => [...iterateAzure(text)]).toThrow(
      /line 3: arrival is -1; expected a time ≥ 0 s after the first row \(line 2.s\)/,
    );
  });
});
