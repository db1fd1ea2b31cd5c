/**
 * Conformance suite every `KvCacheManager` passes (hono's `*.case.ts` pattern): the block
 * accounting contract of src/sim/types.ts, independent of caching. The test runner is
 * passed in so this file stays inside the pure layer (no test-framework import here).
 */
import type { KvCacheManager, PromptSegment, SimRequest } from '../types.js';
import type { KvCache } from './kv-options.js';

/** The slice of vitest this suite uses. */
export interface CaseRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => void): void;
  expect(actual: unknown): {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
  };
}

export type MakeKvCache = (options: { numTotalBlocks: number; blockSizeTokens: number }) => KvCache;

/** A request whose prompt is `segments`, as `[contentId, tokens]` pairs. */
export function makeRequest(
  id: number,
  segments: readonly (readonly [number, number])[],
  outputTokens = 4,
): SimRequest {
  const segs: PromptSegment[] = segments.map(([contentId, tokens]) => ({ contentId, tokens }));
  return {
    id,
    classIndex: 0,
    arrivalSeconds: 0,
    promptTokens: segs.reduce((sum, s) => sum + s.tokens, 0),
    outputTokens,
    segments: segs,
    priority: 0,
  };
}

/** Everything observable through the interface, for "nothing changed" checks. */
export function observe(kv: KvCacheManager, requests: readonly SimRequest[] = []): unknown {
  return {
    numFreeBlocks: kv.numFreeBlocks(),
    numUsedBlocks: kv.numUsedBlocks(),
    stats: kv.stats(),
    lookups: requests.map((r) => kv.lookupPrefix(r, 0)),
  };
}

export function runKvCacheConformance(t: CaseRunner, label: string, make: MakeKvCache): void {
  const { describe, it, expect } = t;
  describe(`KvCacheManager conformance: ${label}`, () => {
    it('starts with every block free and nothing counted', () => {
      const kv = make({ numTotalBlocks: 10, blockSizeTokens: 4 });
      expect([kv.numFreeBlocks(), kv.numUsedBlocks(), kv.numTotalBlocks]).toEqual([10, 0, 10]);
      expect(kv.stats()).toEqual({
        lookupTokens: 0,
        hitTokens: 0,
        offloadHitTokens: 0,
        evictedBlocks: 0,
        offloadedBlocks: 0,
        numCachedBlocks: 0,
      });
    });

    it('holds the ceiling of tokens over block size', () => {
      const kv = make({ numTotalBlocks: 10, blockSizeTokens: 4 });
      const r = makeRequest(1, [[7, 9]]);
      expect(kv.allocate(r, 9, 0)).toBe(true);
      expect([kv.numBlocksHeld(1), kv.numUsedBlocks(), kv.numFreeBlocks()]).toEqual([3, 3, 7]);
      expect(kv.numBlocksFor(9)).toBe(3);
    });

    it('grows by the missing blocks only and never shrinks', () => {
      const kv = make({ numTotalBlocks: 10, blockSizeTokens: 4 });
      const r = makeRequest(1, [[7, 5]]);
      kv.allocate(r, 5, 0);
      expect(kv.allocate(r, 8, 1)).toBe(true);
      expect(kv.numBlocksHeld(1)).toBe(2);
      expect(kv.allocate(r, 13, 2)).toBe(true);
      expect(kv.numBlocksHeld(1)).toBe(4);
      expect(kv.allocate(r, 1, 3)).toBe(true);
      expect([kv.numBlocksHeld(1), kv.numUsedBlocks()]).toEqual([4, 4]);
    });

    it('refuses an admission that does not fit and changes nothing', () => {
      const kv = make({ numTotalBlocks: 4, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 8]]);
      const b = makeRequest(2, [[2, 12]]);
      kv.allocate(a, 8, 0);
      const before = observe(kv, [a, b]);
      expect(kv.allocate(b, 12, 1)).toBe(false);
      expect(observe(kv, [a, b])).toEqual(before);
      expect(kv.numBlocksHeld(2)).toBe(0);
      expect(kv.audit()).toEqual([]);
    });

    it('refuses growth that does not fit and keeps what the request holds', () => {
      const kv = make({ numTotalBlocks: 4, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 8]]);
      kv.allocate(a, 8, 0);
      const before = observe(kv, [a]);
      expect(kv.allocate(a, 20, 1)).toBe(false);
      expect(observe(kv, [a])).toEqual(before);
      expect(kv.numBlocksHeld(1)).toBe(2);
    });

    it('returns every block on free, and a second free is a no-op', () => {
      const kv = make({ numTotalBlocks: 6, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 6]]);
      const b = makeRequest(2, [[2, 9]]);
      kv.allocate(a, 10, 0);
      kv.allocate(b, 9, 0);
      kv.free(a, 1);
      expect(kv.numBlocksHeld(1)).toBe(0);
      kv.free(b, 2);
      kv.free(b, 3);
      expect([kv.numUsedBlocks(), kv.numFreeBlocks()]).toEqual([0, 6]);
      expect(kv.audit()).toEqual([]);
    });

    it('frees a request that never got blocks without effect', () => {
      const kv = make({ numTotalBlocks: 6, blockSizeTokens: 4 });
      const before = observe(kv);
      kv.free(makeRequest(9, [[1, 4]]), 0);
      expect(observe(kv)).toEqual(before);
    });

    it('keeps used + free = total through admissions, growth and frees', () => {
      const kv = make({ numTotalBlocks: 8, blockSizeTokens: 2 });
      const rs = [1, 2, 3].map((id) =>
        makeRequest(id, [
          [0, 3],
          [id, 2],
        ]),
      );
      const seen: number[] = [];
      const note = (): void => {
        seen.push(kv.numUsedBlocks() + kv.numFreeBlocks());
      };
      rs.forEach((r, i) => {
        kv.allocate(r, 5, i);
        note();
      });
      kv.allocate(rs[0]!, 7, 3);
      note();
      rs.forEach((r, i) => {
        kv.free(r, 4 + i);
        note();
      });
      expect(seen).toEqual([8, 8, 8, 8, 8, 8, 8]);
      expect(kv.numUsedBlocks()).toBe(0);
    });

    it('reports a cached prefix in whole blocks short of the last prompt token', () => {
      const kv = make({ numTotalBlocks: 8, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 8]]);
      kv.allocate(a, 8, 0);
      kv.free(a, 1);
      const hit = kv.lookupPrefix(makeRequest(2, [[1, 8]]), 2);
      expect(hit.cachedTokens % 4).toBe(0);
      expect(hit.cachedTokens < 8).toBe(true);
    });

    it('looks up without changing any state', () => {
      const kv = make({ numTotalBlocks: 8, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 9]]);
      kv.allocate(a, 9, 0);
      kv.free(a, 1);
      const before = observe(kv, [a]);
      kv.lookupPrefix(makeRequest(2, [[1, 9]]), 5);
      expect(observe(kv, [a])).toEqual(before);
    });

    it('counts lookup tokens once per admission', () => {
      const kv = make({ numTotalBlocks: 8, blockSizeTokens: 4 });
      const a = makeRequest(1, [[1, 6]]);
      kv.lookupPrefix(a, 0);
      kv.allocate(a, 4, 0);
      kv.allocate(a, 6, 1);
      kv.lookupPrefix(a, 1);
      expect(kv.stats().lookupTokens).toBe(6);
      kv.free(a, 2);
      kv.allocate(a, 6, 3);
      expect(kv.stats().lookupTokens).toBe(12);
    });
  });
}
