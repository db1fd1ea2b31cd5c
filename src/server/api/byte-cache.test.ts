import { describe, expect, it } from 'vitest';
import { createByteCache } from './byte-cache.js';

const bytes = (n: number, fill = 1): Uint8Array => new Uint8Array(n).fill(fill);

describe('byte cache', () => {
  it('keeps values within the byte budget, evicting the least recently used', () => {
    const c = createByteCache(10);
    c.set('a', bytes(4, 1));
    c.set('b', bytes(4, 2));
    expect(c.get('a')?.[0]).toBe(1); // a is now the most recent
    c.set('c', bytes(4, 3)); // 12 > 10: evicts b, the least recent
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')?.[0]).toBe(1);
    expect(c.get('c')?.[0]).toBe(3);
    expect(c.bytes()).toBe(8);
  });

  it('replaces a key without counting it twice, and refuses a value over the budget', () => {
    const c = createByteCache(10);
    c.set('a', bytes(6));
    c.set('a', bytes(3));
    expect(c.bytes()).toBe(3);
    c.set('big', bytes(11));
    expect(c.get('big')).toBeUndefined();
    expect(c.bytes()).toBe(3);
  });
});
