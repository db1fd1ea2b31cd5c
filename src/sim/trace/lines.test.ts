import { describe, expect, it } from 'vitest';
import { iterateLines } from './lines.js';

describe('iterateLines', () => {
  it('yields non-blank lines with 1-based numbers, dropping CR and a byte-order mark', () => {
    expect([...iterateLines('\uFEFF{"a":1}\r\n\n  \n{"b":2}')]).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });

  it('is lazy: the first line is available before the rest is split', () => {
    const it = iterateLines('one\ntwo\nthree');
    expect(it.next().value).toEqual({ line: 1, text: 'one' });
    expect(it.next().value).toEqual({ line: 2, text: 'two' });
  });

  it('yields nothing for empty text', () => {
    expect([...iterateLines('')]).toEqual([]);
  });
});
