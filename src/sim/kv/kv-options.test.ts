import { describe, expect, it } from 'vitest';
import { evictsBefore, EVICTION_POLICIES } from './eviction-policy.js';
import { createKvCacheManager } from './kv-cache-manager.js';
import { numBlocksFor } from './kv-options.js';

describe('numBlocksFor', () => {
  it('rounds tokens up to whole blocks', () => {
    expect([0, 1, 15, 16, 17, 33].map((n) => numBlocksFor(n, 16))).toEqual([0, 1, 1, 1, 2, 3]);
  });

  it('refuses a negative or fractional token count, naming the function', () => {
    expect(() => numBlocksFor(-1, 16)).toThrow(/numBlocksFor: numTokens must be/);
    expect(() => numBlocksFor(1.5, 16)).toThrow(/non-negative integer/);
  });
});

describe('createKvCacheManager options', () => {
  const base = { numTotalBlocks: 8, blockSizeTokens: 4, prefixCaching: true };
  const dram = {
    name: 'host-dram',
    capacityBlocks: 4,
    bandwidthBytesPerSecond: 1e9,
    latencySeconds: 0,
  };

  it('names the invalid option', () => {
    expect(() => createKvCacheManager({ ...base, blockSizeTokens: 0 })).toThrow(/blockSizeTokens/);
    expect(() => createKvCacheManager({ ...base, numTotalBlocks: -1 })).toThrow(/numTotalBlocks/);
    expect(() => createKvCacheManager({ ...base, offloadTiers: [dram] })).toThrow(
      /kvBytesPerToken/,
    );
    expect(() =>
      createKvCacheManager({
        ...base,
        kvBytesPerToken: 1,
        offloadTiers: [{ ...dram, bandwidthBytesPerSecond: 0 }],
      }),
    ).toThrow(/offloadTiers\[0\]\.bandwidthBytesPerSecond/);
    expect(() =>
      // @ts-expect-error an unknown policy name is a type error too
      createKvCacheManager({ ...base, evictionPolicy: 'random' }),
    ).toThrow(/evictionPolicy must be one of lru, fifo/);
  });

  it('leaves out tiers without capacity and ignores tiers without prefix caching', () => {
    const kv = createKvCacheManager({
      ...base,
      kvBytesPerToken: 1,
      offloadTiers: [
        { ...dram, capacityBlocks: 0 },
        { ...dram, name: 'nvme' },
      ],
    });
    expect(kv.offloadTierUsage()).toEqual([{ name: 'nvme', capacityBlocks: 4, numUsedBlocks: 0 }]);
    const pool = createKvCacheManager({ ...base, prefixCaching: false, offloadTiers: [dram] });
    expect(pool.offloadTierUsage()).toEqual([]);
  });
});

describe('eviction policies', () => {
  const old = { lastAccessSeconds: 1, insertionSeq: 5 };
  const recent = { lastAccessSeconds: 9, insertionSeq: 2 };

  it('LRU evicts the least recently used run, ties by insertion order', () => {
    expect(evictsBefore(EVICTION_POLICIES.lru, old, recent)).toBe(true);
    expect(evictsBefore(EVICTION_POLICIES.lru, { ...old, insertionSeq: 1 }, old)).toBe(true);
  });

  it('FIFO evicts the run inserted first whatever its use', () => {
    expect(evictsBefore(EVICTION_POLICIES.fifo, recent, old)).toBe(true);
  });
});
