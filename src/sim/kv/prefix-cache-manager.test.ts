import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimRequest } from '../types.js';
import type { KvCache, OffloadTierOptions } from './kv-options.js';
import { makeRequest, observe } from './kv.case.js';
import { createPrefixCacheKvCacheManager } from './prefix-cache-manager.js';

// Fixtures are tiny and checked by hand: block size 4 tokens unless stated; content ids are
// letters' char codes for readable expectations (A = 65, …).
const A = 65;
const B = 66;
const C = 67;
const S = 83; // a shared system prompt

const make = (numTotalBlocks: number, blockSizeTokens = 4): KvCache =>
  createPrefixCacheKvCacheManager({ numTotalBlocks, blockSizeTokens });

/** Admit with the whole prompt at `t`, then free at `t + 1`. */
function runOnce(kv: KvCache, r: SimRequest, t: number): void {
  expect(kv.allocate(r, r.promptTokens, t)).toBe(true);
  kv.free(r, t + 1);
}

/** Cached runs as `content[start,end)×blocks@tier/refs` strings. */
const runs = (kv: KvCache): string[] =>
  kv
    .cachedRuns()
    .map(
      (r) =>
        `${String.fromCharCode(r.contentId)}[${r.startTokens},${r.endTokens})×${r.numBlocks}@${r.tier}/${r.refCount}`,
    );

describe('prefix cache: hits', () => {
  it('serves a second request of the same content from the cache', () => {
    const kv = make(10);
    runOnce(kv, makeRequest(1, [[A, 10]]), 0);
    expect(runs(kv)).toEqual(['A[0,8)×2@hbm/0']);
    const again = makeRequest(2, [[A, 10]]);
    expect(kv.lookupPrefix(again, 2)).toEqual({
      cachedTokens: 8,
      fromOffloadTokens: 0,
      reloadSeconds: 0,
    });
    expect(kv.allocate(again, 10, 2)).toBe(true);
    expect([kv.numBlocksHeld(2), kv.numUsedBlocks(), kv.numFreeBlocks()]).toEqual([3, 3, 7]);
    expect(runs(kv)).toEqual(['A[0,8)×2@hbm/1']);
    expect(kv.stats()).toEqual({
      lookupTokens: 20,
      hitTokens: 8,
      offloadHitTokens: 0,
      evictedBlocks: 0,
      offloadedBlocks: 0,
      numCachedBlocks: 2,
    });
  });

  it('never counts the last prompt token as cached', () => {
    const kv = make(10);
    runOnce(kv, makeRequest(1, [[A, 8]]), 0);
    expect(runs(kv)).toEqual(['A[0,8)×2@hbm/0']);
    expect(kv.lookupPrefix(makeRequest(2, [[A, 8]]), 2).cachedTokens).toBe(4);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 8],
          [B, 1],
        ]),
        2,
      ).cachedTokens,
    ).toBe(8);
    expect(kv.lookupPrefix(makeRequest(4, [[A, 1]]), 2).cachedTokens).toBe(0);
  });

  it('shares the common leading segments plus the overlap of a same-content pair', () => {
    const kv = make(20);
    runOnce(
      kv,
      makeRequest(1, [
        [A, 10],
        [B, 6],
      ]),
      0,
    );
    expect(runs(kv)).toEqual(['A[0,10)×2@hbm/0', 'B[10,16)×2@hbm/0']);
    expect(
      kv.lookupPrefix(
        makeRequest(2, [
          [A, 10],
          [B, 9],
        ]),
        2,
      ).cachedTokens,
    ).toBe(16);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 10],
          [C, 9],
        ]),
        2,
      ).cachedTokens,
    ).toBe(8);
    expect(
      kv.lookupPrefix(
        makeRequest(4, [
          [A, 6],
          [B, 9],
        ]),
        2,
      ).cachedTokens,
    ).toBe(4);
    expect(kv.lookupPrefix(makeRequest(5, [[B, 16]]), 2).cachedTokens).toBe(0);
  });

  it('splits a run where a new prompt diverges and keeps both branches', () => {
    const kv = make(20);
    runOnce(
      kv,
      makeRequest(1, [
        [A, 10],
        [B, 6],
      ]),
      0,
    );
    runOnce(
      kv,
      makeRequest(2, [
        [A, 6],
        [C, 10],
      ]),
      2,
    );
    // The block [4,8) differs between the branches: A-A in one, A-C in the other. Request 2
    // claimed [0,4) (a split at the cut) and diverged at 6 (a split at the divergence).
    expect(runs(kv)).toEqual([
      'A[0,4)×1@hbm/0',
      'A[4,6)×0@hbm/0',
      'A[6,10)×1@hbm/0',
      'B[10,16)×2@hbm/0',
      'C[6,16)×3@hbm/0',
    ]);
    expect(kv.stats().numCachedBlocks).toBe(7);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 6],
          [C, 10],
          [B, 1],
        ]),
        4,
      ).cachedTokens,
    ).toBe(16);
    expect(kv.audit()).toEqual([]);
  });

  it('tells apart the same content restarted at a different offset', () => {
    const kv = make(20);
    runOnce(kv, makeRequest(1, [[A, 8]]), 0);
    runOnce(
      kv,
      makeRequest(2, [
        [A, 4],
        [A, 4],
      ]),
      2,
    );
    expect(runs(kv)).toEqual(['A[0,4)×1@hbm/0', 'A[4,8)×1@hbm/0', 'A[4,8)×1@hbm/0']);
    expect(kv.cachedRuns().map((r) => r.contentOffsetTokens)).toEqual([0, 0, 4]);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 8],
          [B, 1],
        ]),
        4,
      ).cachedTokens,
    ).toBe(8);
    expect(
      kv.lookupPrefix(
        makeRequest(4, [
          [A, 4],
          [A, 4],
          [B, 1],
        ]),
        4,
      ).cachedTokens,
    ).toBe(8);
    expect(
      kv.lookupPrefix(
        makeRequest(5, [
          [A, 4],
          [A, 2],
          [A, 9],
        ]),
        4,
      ).cachedTokens,
    ).toBe(4);
  });

  it('caches only full prompt blocks, never output blocks', () => {
    const kv = make(10);
    const r = makeRequest(1, [[A, 6]], 10);
    kv.allocate(r, 16, 0); // prompt 6 + output 10
    expect(kv.numBlocksHeld(1)).toBe(4);
    kv.free(r, 1);
    expect(runs(kv)).toEqual(['A[0,4)×1@hbm/0']);
    expect([kv.numUsedBlocks(), kv.numFreeBlocks(), kv.stats().numCachedBlocks]).toEqual([
      0, 10, 1,
    ]);
  });

  it('caches only the prompt blocks a preempted request had allocated', () => {
    const kv = make(10);
    const r = makeRequest(1, [[A, 16]]);
    kv.allocate(r, 9, 0); // a first prefill chunk of 9 tokens
    kv.free(r, 1);
    expect(runs(kv)).toEqual(['A[0,8)×2@hbm/0']);
  });
});

describe('prefix cache: allocation failure', () => {
  it('refuses an admission whose cached prefix is pinned and changes nothing', () => {
    const kv = make(4);
    runOnce(kv, makeRequest(1, [[A, 8]]), 0);
    const b = makeRequest(2, [[B, 8]]);
    expect(kv.allocate(b, 8, 2)).toBe(true);
    // A's two cached blocks are the only free ones, but claiming them pins them.
    const c = makeRequest(3, [
      [A, 8],
      [C, 8],
    ]);
    const before = [observe(kv, [c]), runs(kv)];
    expect(kv.allocate(c, 16, 3)).toBe(false);
    expect([observe(kv, [c]), runs(kv)]).toEqual(before);
    expect(kv.numBlocksHeld(3)).toBe(0);
    expect(kv.audit()).toEqual([]);
  });
});

describe('prefix cache: eviction', () => {
  it('evicts whole runs least recently used first, in simulated time', () => {
    const kv = make(6);
    const [a, b, c] = [A, B, C].map((id) => makeRequest(id, [[id, 8]]));
    for (const r of [a, b, c]) kv.allocate(r!, 8, 0);
    kv.free(b!, 1);
    kv.free(c!, 2);
    kv.free(a!, 3);
    kv.lookupPrefix(makeRequest(9, [[B, 9]]), 4); // a lookup does not refresh B
    const order: string[][] = [];
    for (const [i, id] of [88, 89, 90].entries()) {
      expect(kv.allocate(makeRequest(id, [[id, 8]]), 8, 5 + i)).toBe(true);
      order.push(runs(kv));
    }
    expect(order).toEqual([['A[0,8)×2@hbm/0', 'C[0,8)×2@hbm/0'], ['A[0,8)×2@hbm/0'], []]);
    expect(kv.stats().evictedBlocks).toBe(6);
  });

  it('breaks equal access times by insertion order', () => {
    const kv = make(6);
    const [a, b, c] = [A, B, C].map((id) => makeRequest(id, [[id, 8]]));
    for (const r of [c, a, b]) kv.allocate(r!, 8, 0);
    for (const r of [c, a, b]) kv.free(r!, 1);
    const order: string[][] = [];
    for (const [i, id] of [88, 89].entries()) {
      kv.allocate(makeRequest(id, [[id, 8]]), 8, 2 + i);
      order.push(runs(kv));
    }
    expect(order).toEqual([['A[0,8)×2@hbm/0', 'B[0,8)×2@hbm/0'], ['B[0,8)×2@hbm/0']]);
  });

  it('refreshes a run when a request claims it', () => {
    const kv = make(6);
    const [a, b, c] = [A, B, C].map((id) => makeRequest(id, [[id, 8]]));
    for (const r of [a, b, c]) runOnce(kv, r!, 0);
    runOnce(
      kv,
      makeRequest(4, [
        [A, 8],
        [B, 1],
      ]),
      5,
    ); // A used again at 5…6
    kv.allocate(makeRequest(88, [[88, 16]]), 16, 7);
    expect(runs(kv)).toEqual(['A[0,8)×2@hbm/0']);
  });

  it('evicts a leaf before its parent however old the parent is', () => {
    const kv = make(4);
    runOnce(
      kv,
      makeRequest(1, [
        [S, 4],
        [A, 4],
      ]),
      0,
    );
    runOnce(
      kv,
      makeRequest(2, [
        [S, 4],
        [B, 4],
      ]),
      10,
    ); // S refreshed at 11, A stays at 1
    kv.allocate(makeRequest(3, [[C, 4]]), 4, 12); // pool has 1 block: no eviction
    kv.allocate(makeRequest(4, [[C, 8]]), 8, 13);
    expect(runs(kv)).toEqual(['S[0,4)×1@hbm/0']);
  });

  it('splits a run to evict only the blocks needed, deepest first', () => {
    const kv = make(4);
    runOnce(kv, makeRequest(1, [[A, 16]]), 0);
    expect(kv.allocate(makeRequest(2, [[B, 4]]), 4, 2)).toBe(true);
    expect(runs(kv)).toEqual(['A[0,12)×3@hbm/0']);
    expect(kv.lookupPrefix(makeRequest(3, [[A, 16]]), 3).cachedTokens).toBe(12);
    expect(kv.stats().evictedBlocks).toBe(1);
    expect(kv.audit()).toEqual([]);
  });

  it('leaves the same state cutting evicted tails in place as splitting and dropping them', () => {
    // Random sessions: each request extends its session's previous prompt (agent calls), so
    // runs chain, get claimed, grow by decode steps and are evicted a few blocks at a time.
    const op = fc.tuple(fc.nat(5), fc.nat(3), fc.integer({ min: 1, max: 40 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 8, max: 40 }), (ops, n) => {
        const fast = make(n);
        const general = createPrefixCacheKvCacheManager(
          { numTotalBlocks: n, blockSizeTokens: 4 },
          { evictTailInPlace: false },
        );
        const promptOf = new Map<number, number>();
        const live = new Map<number, { request: SimRequest; tokens: number }>();
        let nextId = 0;
        ops.forEach(([session, action, tokens], t) => {
          const held = [...live.values()].find((x) => x.request.classIndex === session);
          if (action === 0 && held) {
            // Free the session's running request.
            for (const kv of [fast, general]) kv.free(held.request, t);
            live.delete(held.request.id);
          } else if (action === 1 && held) {
            // A decode step of `tokens` tokens.
            const want = held.tokens + tokens;
            const ok = fast.allocate(held.request, want, t);
            expect(general.allocate(held.request, want, t)).toBe(ok);
            if (ok) held.tokens = want;
          } else if (!held) {
            // The session's next call: its previous prompt plus `tokens` more.
            const promptTokens = (promptOf.get(session) ?? 0) + tokens;
            const request = {
              ...makeRequest(nextId++, [[session, promptTokens]]),
              classIndex: session,
            };
            const ok = fast.allocate(request, promptTokens, t);
            expect(general.allocate(request, promptTokens, t)).toBe(ok);
            if (ok) {
              promptOf.set(session, promptTokens);
              live.set(request.id, { request, tokens: promptTokens });
            }
          }
          expect(fast.cachedRuns()).toEqual(general.cachedRuns());
          expect(observe(fast)).toEqual(observe(general));
        });
        expect(fast.audit()).toEqual([]);
        expect(fast.stats().evictedBlocks).toBe(general.stats().evictedBlocks);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the same state growing runs in place as hanging new runs under them', () => {
    // Agent sessions over a shared system prompt, several events per instant (equal access
    // times, so eviction falls back on insertion order), with lookups, decode growth and
    // evictions between calls; both eviction paths and both policies.
    const op = fc.tuple(fc.nat(5), fc.nat(3), fc.integer({ min: 1, max: 40 }));
    const S = 99;
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 120 }),
        fc.integer({ min: 8, max: 40 }),
        fc.boolean(),
        fc.constantFrom('lru' as const, 'fifo' as const),
        (ops, n, inPlace, evictionPolicy) => {
          const options = { numTotalBlocks: n, blockSizeTokens: 4, evictionPolicy };
          const grown = createPrefixCacheKvCacheManager(options, { evictTailInPlace: inPlace });
          const separate = createPrefixCacheKvCacheManager(options, {
            evictTailInPlace: inPlace,
            extendRuns: false,
          });
          const both = [grown, separate];
          const promptOf = new Map<number, number>();
          const live = new Map<number, { request: SimRequest; tokens: number }>();
          let nextId = 0;
          ops.forEach(([session, action, tokens], i) => {
            const t = Math.floor(i / 12);
            const held = [...live.values()].find((x) => x.request.classIndex === session);
            if (action === 0 && held) {
              for (const kv of both) kv.free(held.request, t);
              live.delete(held.request.id);
            } else if (action === 1 && held) {
              const want = held.tokens + tokens;
              const ok = grown.allocate(held.request, want, t);
              expect(separate.allocate(held.request, want, t)).toBe(ok);
              if (ok) held.tokens = want;
            } else if (!held) {
              const promptTokens = (promptOf.get(session) ?? 0) + tokens;
              const segments: [number, number][] =
                session % 2 === 0
                  ? [
                      [S, 6],
                      [session, promptTokens],
                    ]
                  : [[session, promptTokens]];
              const request = { ...makeRequest(nextId++, segments), classIndex: session };
              const hit = grown.lookupPrefix(request, t);
              expect(separate.lookupPrefix(request, t)).toEqual(hit);
              const total = request.promptTokens;
              const ok = grown.allocate(request, total, t);
              expect(separate.allocate(request, total, t)).toBe(ok);
              if (ok) {
                promptOf.set(session, promptTokens);
                live.set(request.id, { request, tokens: total });
              }
            }
            expect(grown.cachedRuns()).toEqual(separate.cachedRuns());
            expect(observe(grown)).toEqual(observe(separate));
            expect(grown.stats()).toEqual(separate.stats());
          });
          expect(grown.audit()).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps a shared prefix from eviction while a request references it', () => {
    const kv = make(6);
    runOnce(
      kv,
      makeRequest(1, [
        [S, 8],
        [A, 4],
      ]),
      0,
    );
    expect(runs(kv)).toEqual(['S[0,8)×2@hbm/0', 'A[8,12)×1@hbm/0']);
    const running = makeRequest(2, [
      [S, 8],
      [B, 4],
    ]);
    expect(kv.allocate(running, 12, 2)).toBe(true);
    expect(kv.allocate(makeRequest(3, [[C, 12]]), 12, 3)).toBe(true); // evicts A only
    expect(runs(kv)).toEqual(['S[0,8)×2@hbm/1']);
    expect(kv.numFreeBlocks()).toBe(0);
    expect(kv.allocate(makeRequest(4, [[C + 1, 4]]), 4, 4)).toBe(false);
    kv.free(running, 5);
    expect(runs(kv)).toEqual(['S[0,8)×2@hbm/0', 'B[8,12)×1@hbm/0']);
    expect(kv.numFreeBlocks()).toBe(3);
  });
});

describe('prefix cache: offload tiers', () => {
  const dram: OffloadTierOptions = {
    name: 'host-dram',
    capacityBlocks: 8,
    bandwidthBytesPerSecond: 1000,
    latencySeconds: 0.5,
  };
  const withDram = (recompute?: (n: number) => number): KvCache =>
    createPrefixCacheKvCacheManager({
      numTotalBlocks: 5,
      blockSizeTokens: 4,
      offloadTiers: [dram],
      kvBytesPerToken: 10,
      recomputeSecondsForTokens: recompute,
    });
  /** A cached in HBM, then pushed out to host DRAM by B (5 blocks). */
  const offloadA = (kv: KvCache): void => {
    runOnce(kv, makeRequest(1, [[A, 16]]), 0);
    runOnce(kv, makeRequest(2, [[B, 20]]), 1);
  };

  it('moves evicted runs to host DRAM and reloads them on a hit', () => {
    const kv = withDram();
    offloadA(kv);
    expect(runs(kv)).toEqual(['A[0,16)×4@host-dram/0', 'B[0,20)×5@hbm/0']);
    const r = makeRequest(3, [
      [A, 16],
      [C, 4],
    ]);
    // 16 tokens × 10 bytes over 1000 bytes/s after 0.5 s latency.
    expect(kv.lookupPrefix(r, 3)).toEqual({
      cachedTokens: 16,
      fromOffloadTokens: 16,
      reloadSeconds: 0.5 + 0.16,
    });
    expect(kv.allocate(r, 20, 3)).toBe(true);
    expect(runs(kv)).toEqual(['A[0,16)×4@hbm/1', 'B[0,20)×5@host-dram/0']);
    expect(kv.stats()).toEqual({
      lookupTokens: 56,
      hitTokens: 16,
      offloadHitTokens: 16,
      evictedBlocks: 9,
      offloadedBlocks: 9,
      numCachedBlocks: 4,
    });
    expect(kv.offloadTierUsage()).toEqual([
      { name: 'host-dram', capacityBlocks: 8, numUsedBlocks: 5 },
    ]);
    expect(kv.audit()).toEqual([]);
  });

  it('treats an offloaded prefix as a miss when recomputing it is cheaper', () => {
    const kv = withDram((n) => 0.001 * n);
    offloadA(kv);
    const r = makeRequest(3, [
      [A, 16],
      [C, 4],
    ]);
    expect(kv.lookupPrefix(r, 3)).toEqual({
      cachedTokens: 0,
      fromOffloadTokens: 0,
      reloadSeconds: 0,
    });
    expect(kv.allocate(r, 20, 3)).toBe(true);
    expect(kv.numBlocksHeld(3)).toBe(5);
    expect(kv.stats().hitTokens).toBe(0);
    // B's 5 blocks went to host DRAM (8 blocks), pushing out A's deepest block. On free the
    // recomputed blocks take the offloaded run's place in HBM and refill the dropped part.
    expect(runs(kv)).toEqual(['A[0,12)×3@host-dram/0', 'B[0,20)×5@host-dram/0']);
    kv.free(r, 4);
    expect(runs(kv)).toEqual([
      'A[0,12)×3@hbm/0',
      'A[12,16)×1@hbm/0',
      'C[16,20)×1@hbm/0',
      'B[0,20)×5@host-dram/0',
    ]);
    expect(kv.audit()).toEqual([]);
  });

  it('reloads when reloading and recomputing cost the same', () => {
    const kv = withDram((n) => (0.5 + 0.16) * (n / 16));
    offloadA(kv);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 16],
          [C, 4],
        ]),
        3,
      ).fromOffloadTokens,
    ).toBe(16);
  });

  const twoTiers = (
    dramBlocks: number,
    nvmeBlocks: number,
    recompute?: (n: number) => number,
  ): KvCache =>
    createPrefixCacheKvCacheManager({
      numTotalBlocks: 2,
      blockSizeTokens: 4,
      offloadTiers: [
        { ...dram, capacityBlocks: dramBlocks },
        {
          name: 'nvme',
          capacityBlocks: nvmeBlocks,
          bandwidthBytesPerSecond: 100,
          latencySeconds: 2,
        },
      ],
      kvBytesPerToken: 10,
      recomputeSecondsForTokens: recompute,
    });

  it('demotes host DRAM runs to NVMe and drops them from NVMe, least recently used first', () => {
    const kv = twoTiers(2, 2);
    for (const [i, id] of [A, B, C].entries()) runOnce(kv, makeRequest(i, [[id, 8]]), 2 * i);
    expect(runs(kv)).toEqual(['A[0,8)×2@nvme/0', 'B[0,8)×2@host-dram/0', 'C[0,8)×2@hbm/0']);
    kv.allocate(makeRequest(9, [[88, 8]]), 8, 7);
    expect(runs(kv)).toEqual(['B[0,8)×2@nvme/0', 'C[0,8)×2@host-dram/0']);
    expect(kv.offloadTierUsage().map((t) => t.numUsedBlocks)).toEqual([2, 2]);
    expect(kv.stats().evictedBlocks).toBe(6);
    expect(kv.stats().offloadedBlocks).toBe(6);
    expect(kv.lookupPrefix(makeRequest(10, [[A, 9]]), 8).cachedTokens).toBe(0);
    expect(kv.lookupPrefix(makeRequest(11, [[B, 9]]), 8)).toEqual({
      cachedTokens: 8,
      fromOffloadTokens: 8,
      reloadSeconds: 2 + 0.8,
    });
  });

  it('fills a tier with the shallowest blocks of a larger run and passes the rest on', () => {
    const kv = createPrefixCacheKvCacheManager({
      numTotalBlocks: 4,
      blockSizeTokens: 4,
      offloadTiers: [
        { ...dram, capacityBlocks: 2 },
        { name: 'nvme', capacityBlocks: 8, bandwidthBytesPerSecond: 100, latencySeconds: 2 },
      ],
      kvBytesPerToken: 10,
    });
    runOnce(kv, makeRequest(1, [[A, 16]]), 0);
    kv.allocate(makeRequest(2, [[B, 16]]), 16, 2);
    expect(runs(kv)).toEqual(['A[0,8)×2@host-dram/0', 'A[8,16)×2@nvme/0']);
    expect(
      kv.lookupPrefix(
        makeRequest(3, [
          [A, 16],
          [C, 1],
        ]),
        3,
      ),
    ).toEqual({
      cachedTokens: 16,
      fromOffloadTokens: 16,
      reloadSeconds: 0.5 + 0.08 + (2 + 0.8),
    });
    expect(kv.audit()).toEqual([]);
  });

  it('re-joins the pieces of a run evicted block by block', () => {
    const kv = withDram();
    runOnce(kv, makeRequest(1, [[A, 16]]), 0);
    kv.allocate(makeRequest(2, [[B, 4]]), 4, 2); // pool 1 block: no eviction
    kv.allocate(makeRequest(3, [[C, 4]]), 4, 3);
    expect(runs(kv)).toEqual(['A[0,12)×3@hbm/0', 'A[12,16)×1@host-dram/0']);
    kv.allocate(makeRequest(4, [[C + 1, 8]]), 8, 4);
    expect(runs(kv)).toEqual(['A[0,4)×1@hbm/0', 'A[4,16)×3@host-dram/0']);
    expect(kv.audit()).toEqual([]);
  });

  it('empties a tier, runs without blocks included, before a larger run overflows it', () => {
    const kv = createPrefixCacheKvCacheManager({
      numTotalBlocks: 9,
      blockSizeTokens: 2,
      offloadTiers: [
        { ...dram, capacityBlocks: 3 },
        { name: 'nvme', capacityBlocks: 5, bandwidthBytesPerSecond: 100, latencySeconds: 2 },
      ],
      kvBytesPerToken: 10,
    });
    const r0 = makeRequest(0, [
      [A, 9],
      [B, 1],
    ]);
    const r1 = makeRequest(1, [[A, 8]]);
    kv.allocate(r0, 10, 0);
    kv.allocate(r1, 8, 1);
    kv.free(r0, 2);
    kv.free(r1, 3); // splits A at 8: A[8,9) holds no block (block [8,10) ends in B)
    expect(runs(kv)).toEqual(['A[0,8)×4@hbm/0', 'A[8,9)×0@hbm/0', 'B[9,10)×1@hbm/0']);
    expect(kv.allocate(makeRequest(2, [[C, 17]]), 17, 4)).toBe(true);
    // B and the empty A[8,9) reach host DRAM first; A[0,8) (4 blocks) is larger than host
    // DRAM (3), so they move on to NVMe and A's deepest block follows them (and re-joins
    // A[8,9) there).
    expect(runs(kv)).toEqual(['A[0,6)×3@host-dram/0', 'A[6,9)×1@nvme/0', 'B[9,10)×1@nvme/0']);
    expect([kv.stats().evictedBlocks, kv.stats().offloadedBlocks]).toEqual([5, 5]);
    expect(kv.audit()).toEqual([]);
  });

  it('reloads the host DRAM part and recomputes the NVMe part when that is cheapest', () => {
    const kv = createPrefixCacheKvCacheManager({
      numTotalBlocks: 5,
      blockSizeTokens: 4,
      offloadTiers: [
        { ...dram, capacityBlocks: 2 },
        { name: 'nvme', capacityBlocks: 8, bandwidthBytesPerSecond: 100, latencySeconds: 2 },
      ],
      kvBytesPerToken: 10,
      recomputeSecondsForTokens: (n) => 0.1 * n, // 8 tokens: 0.8 s < 2.8 s from NVMe
    });
    runOnce(kv, makeRequest(1, [[A, 16]]), 0);
    runOnce(kv, makeRequest(2, [[B, 20]]), 2);
    expect(runs(kv)).toEqual(['A[0,8)×2@host-dram/0', 'A[8,16)×2@nvme/0', 'B[0,20)×5@hbm/0']);
    const r = makeRequest(3, [
      [A, 16],
      [C, 1],
    ]);
    expect(kv.lookupPrefix(r, 4)).toEqual({
      cachedTokens: 8,
      fromOffloadTokens: 8,
      reloadSeconds: 0.5 + 0.08,
    });
    expect(kv.allocate(r, 17, 4)).toBe(true); // 2 reloaded + 3 private blocks
    expect([kv.numBlocksHeld(3), kv.stats().offloadHitTokens]).toEqual([5, 8]);
    expect(runs(kv)).toEqual([
      'A[0,8)×2@hbm/1',
      'A[8,16)×2@nvme/0',
      'B[0,8)×2@host-dram/0',
      'B[8,20)×3@nvme/0',
    ]);
    expect(kv.audit()).toEqual([]);
  });
});
