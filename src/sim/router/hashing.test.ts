import { describe, expect, it } from 'vitest';
import { hashCombine, hashToIndex, mix32 } from './hashing.js';

describe('affinity hashing', () => {
  it('pins mix32 and hashCombine values so a change to placement is deliberate', () => {
    expect(mix32(0)).toBe(0); // fmix32 fixes 0
    expect([mix32(1), mix32(0xffffffff)]).toEqual([0x514e28b7, 0x81f16f39]);
    expect([hashCombine(0, 0), hashCombine(0, 1), hashCombine(0, 2 ** 40)]).toEqual([
      3553795876, 1079472227, 2221948770,
    ]);
  });

  it('mix32 is a bijection: no collisions over 200,000 consecutive inputs', () => {
    const seen = new Set<number>();
    for (let x = 0; x < 200_000; x++) seen.add(mix32(x));
    expect(seen.size).toBe(200_000);
  });

  it('hashCombine depends on the order and on the high word of large values', () => {
    expect(hashCombine(hashCombine(0, 1), 2)).not.toBe(hashCombine(hashCombine(0, 2), 1));
    expect(hashCombine(0, 5)).not.toBe(hashCombine(0, 5 + 2 ** 32));
  });

  it('hashToIndex maps the full uint32 range onto [0, n)', () => {
    expect(hashToIndex(0, 10)).toBe(0);
    expect(hashToIndex(0xffffffff, 10)).toBe(9);
    expect(hashToIndex(0x80000000, 1000)).toBe(500);
  });
});
