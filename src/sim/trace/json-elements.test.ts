import { describe, expect, it } from 'vitest';
import { iterateJsonElements } from './json-elements.js';

const elements = (text: string) => [...iterateJsonElements(text, { format: 'sharegpt' })];

describe('iterateJsonElements', () => {
  it('finds top-level array elements and the line each starts on', () => {
    const text = '[\n  {"a": [1, 2]},\n  {"b": "x, ] } \\" ["}\n  ,3\n]\n';
    expect(elements(text)).toEqual([
      { index: 0, line: 2, text: '{"a": [1, 2]}' },
      { index: 1, line: 3, text: '{"b": "x, ] } \\" ["}' },
      { index: 2, line: 4, text: '3' },
    ]);
  });

  it('yields nothing for an empty array', () => {
    expect(elements(' [ ] ')).toEqual([]);
  });

  it('reads JSON Lines when the text starts with an object', () => {
    expect(elements('{"a":1}\n\n{"b":2}\n')).toEqual([
      { index: 0, line: 1, text: '{"a":1}' },
      { index: 1, line: 3, text: '{"b":2}' },
    ]);
  });

  it('refuses a trailing comma, an unclosed array, text after it, and non-JSON text', () => {
    expect(() => elements('[{"a":1},\n]')).toThrow(/line 2: trailing comma/);
    expect(() => elements('[{"a":1}')).toThrow(/never closed/);
    expect(() => elements('[1]\nx')).toThrow(/line 2: text after the JSON array/);
    expect(() => elements('id,conversations')).toThrow(/expected a JSON array/);
    expect(() => elements('["abc')).toThrow(/string is never closed/);
  });
});
