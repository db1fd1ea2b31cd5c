import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('evicts the least recently used key when full, and reports it', () => {
    const map = new LruMap<string, number>(2);
    expect(map.set('a', 1)).toBeUndefined();
    expect(map.set('b', 2)).toBeUndefined();
    expect(map.set('c', 3)).toBe('a');
    expect(map.keys()).toEqual(['b', 'c']);
  });

  it('counts get as a use but not peek', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    expect(map.set('c', 3)).toBe('b');
    expect(map.peek('a')).toBe(1);
    expect(map.set('d', 4)).toBe('a');
    expect(map.keys()).toEqual(['c', 'd']);
  });

  it('overwrites a held key without evicting another', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.set('a', 10)).toBeUndefined();
    expect(map.size).toBe(2);
    expect(map.peek('a')).toBe(10);
  });

  it('deletes a key on request', () => {
    const map = new LruMap<number, number>(3);
    map.set(1, 1);
    expect(map.delete(1)).toBe(true);
    expect(map.delete(1)).toBe(false);
    expect(map.size).toBe(0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(/LruMap: capacity must be a positive integer/);
  });
});
