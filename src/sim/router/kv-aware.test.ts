import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { createKvAwareRouter } from './kv-aware.js';
import { fixedFleet, makeRequest } from './test-support.js';

const ctx = { nowSeconds: 0, rng: createRng(1, 'router') };

describe('kv-aware router', () => {
  it('prefers a replica whose free blocks hold the prompt over a less loaded one that cannot', () => {
    // 1,600-token prompt = 100 blocks of 16.
    const fleet = fixedFleet([
      { numOutstandingTokens: 100, numFreeKvBlocks: 99 },
      { numOutstandingTokens: 5000, numFreeKvBlocks: 100 },
      { numOutstandingTokens: 9000, numFreeKvBlocks: 500 },
    ]);
    const router = createKvAwareRouter();
    expect(router.route(makeRequest(0, { promptTokens: 1600 }), fleet, ctx)).toBe(1);
  });

  it('rounds the prompt up to whole blocks', () => {
    // 33 tokens need 3 blocks of 16.
    const fleet = fixedFleet([
      { numOutstandingTokens: 0, numFreeKvBlocks: 2 },
      { numOutstandingTokens: 10, numFreeKvBlocks: 3 },
    ]);
    expect(createKvAwareRouter().route(makeRequest(0, { promptTokens: 33 }), fleet, ctx)).toBe(1);
    expect(createKvAwareRouter().route(makeRequest(0, { promptTokens: 32 }), fleet, ctx)).toBe(0);
  });

  it('falls back to the least outstanding tokens when no replica can hold the prompt', () => {
    const fleet = fixedFleet([
      { numOutstandingTokens: 300, numFreeKvBlocks: 1 },
      { numOutstandingTokens: 200, numFreeKvBlocks: 0 },
      { numOutstandingTokens: 100, numFreeKvBlocks: 5, up: false },
    ]);
    expect(createKvAwareRouter().route(makeRequest(0, { promptTokens: 1000 }), fleet, ctx)).toBe(1);
  });

  it('uses the configured block size', () => {
    const fleet = fixedFleet([
      { numOutstandingTokens: 0, numFreeKvBlocks: 10 },
      { numOutstandingTokens: 50, numFreeKvBlocks: 20 },
    ]);
    const request = makeRequest(0, { promptTokens: 300 });
    expect(createKvAwareRouter({ blockSizeTokens: 32 }).route(request, fleet, ctx)).toBe(0);
    expect(createKvAwareRouter({ blockSizeTokens: 16 }).route(request, fleet, ctx)).toBe(1);
  });

  it('rejects a block size that is not a positive integer', () => {
    expect(() => createKvAwareRouter({ blockSizeTokens: 0 })).toThrow(
      /createKvAwareRouter: blockSizeTokens must be a positive integer/,
    );
  });
});
