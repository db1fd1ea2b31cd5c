import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimRequest } from '../types.js';
import { createKvCacheManager } from './kv-cache-manager.js';
import type { KvCache, KvCacheOptions } from './kv-options.js';
import { makeRequest, runKvCacheConformance } from './kv.case.js';

type Variant = Omit<KvCacheOptions, 'numTotalBlocks' | 'blockSizeTokens'>;

const VARIANTS: Record<string, Variant> = {
  'block pool (no prefix caching)': { prefixCaching: false },
  'radix prefix cache': { prefixCaching: true },
  'radix prefix cache, two offload tiers, recompute-aware': {
    prefixCaching: true,
    offloadTiers: [
      { name: 'host-dram', capacityBlocks: 3, bandwidthBytesPerSecond: 100, latencySeconds: 0.01 },
      { name: 'nvme', capacityBlocks: 5, bandwidthBytesPerSecond: 10, latencySeconds: 0.1 },
    ],
    kvBytesPerToken: 2,
    recomputeSecondsForTokens: (n) => 0.05 * n,
  },
  'radix prefix cache, FIFO eviction, one tier': {
    prefixCaching: true,
    evictionPolicy: 'fifo',
    offloadTiers: [
      { name: 'host-dram', capacityBlocks: 2, bandwidthBytesPerSecond: 1, latencySeconds: 0 },
    ],
    kvBytesPerToken: 1,
  },
};

for (const [label, variant] of Object.entries(VARIANTS))
  runKvCacheConformance({ describe, it, expect }, label, (o) =>
    createKvCacheManager({ ...o, ...variant }),
  );

describe('createKvCacheManager', () => {
  it('chooses the implementation by prefixCaching', () => {
    const base = { numTotalBlocks: 4, blockSizeTokens: 2 };
    expect(createKvCacheManager({ ...base, prefixCaching: false }).prefixCaching).toBe(false);
    expect(createKvCacheManager({ ...base, prefixCaching: true }).prefixCaching).toBe(true);
  });
});

// ── property tests ──────────────────────────────────────────────────────────────────────

const segmentsArb = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 9 })),
  {
    minLength: 1,
    maxLength: 4,
  },
);

type Op =
  | {
      kind: 'admit';
      prompt: number;
      extension: [number, number] | null;
      chunkTokens: number | null;
    }
  | { kind: 'grow'; pick: number; extraTokens: number }
  | { kind: 'free'; pick: number }
  | { kind: 'lookup'; prompt: number; extension: [number, number] | null };

const extensionArb = fc.option(
  fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 })),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('admit' as const),
    prompt: fc.nat(),
    extension: extensionArb,
    // null: the whole prompt at once; a number: a first chunk of that many tokens
    chunkTokens: fc.option(fc.integer({ min: 0, max: 40 })),
  }),
  fc.record({
    kind: fc.constant('grow' as const),
    pick: fc.nat(),
    extraTokens: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('lookup' as const), prompt: fc.nat(), extension: extensionArb }),
);

interface Running {
  request: SimRequest;
  numTokens: number;
}

/**
 * Apply the ops to prompts drawn from a small pool (so prefixes repeat, as in agent
 * sessions, possibly extended by one segment); after each op check the conservation and
 * ownership invariants and the manager's own audit.
 */
function runOps(kv: KvCache, prompts: readonly [number, number][][], ops: readonly Op[]): void {
  const running: Running[] = [];
  const freed: number[] = [];
  let nextId = 0;
  const promptOf = (i: number, extension: [number, number] | null): [number, number][] => [
    ...prompts[i % prompts.length]!,
    ...(extension === null ? [] : [extension]),
  ];
  ops.forEach((op, step) => {
    const nowSeconds = Math.floor(step / 2); // equal times happen: ties by insertion order
    if (op.kind === 'admit') {
      const request = makeRequest(nextId++, promptOf(op.prompt, op.extension));
      const numTokens = op.chunkTokens ?? request.promptTokens;
      const before = kv.numFreeBlocks();
      if (kv.allocate(request, numTokens, nowSeconds)) running.push({ request, numTokens });
      else expect(kv.numFreeBlocks()).toBe(before);
    } else if (op.kind === 'grow' && running.length > 0) {
      const r = running[op.pick % running.length]!;
      const numTokens = r.numTokens + op.extraTokens;
      if (kv.allocate(r.request, numTokens, nowSeconds)) r.numTokens = numTokens;
    } else if (op.kind === 'free' && running.length > 0) {
      const [r] = running.splice(op.pick % running.length, 1);
      kv.free(r!.request, nowSeconds);
      freed.push(r!.request.id);
    } else if (op.kind === 'lookup') {
      const request = makeRequest(1_000_000 + step, promptOf(op.prompt, op.extension));
      const hit = kv.lookupPrefix(request, nowSeconds);
      expect(hit.cachedTokens % kv.blockSizeTokens).toBe(0);
      expect(hit.cachedTokens <= Math.max(0, request.promptTokens - 1)).toBe(true);
      expect(hit.fromOffloadTokens <= hit.cachedTokens).toBe(true);
    }
    expect(kv.numUsedBlocks() + kv.numFreeBlocks()).toBe(kv.numTotalBlocks);
    expect(kv.numFreeBlocks() >= 0 && kv.numUsedBlocks() <= kv.numTotalBlocks).toBe(true);
    for (const r of running) {
      const held = kv.numBlocksHeld(r.request.id);
      expect(held >= kv.numBlocksFor(r.numTokens)).toBe(true);
      expect(held <= kv.numUsedBlocks()).toBe(true);
    }
    for (const id of freed) expect(kv.numBlocksHeld(id)).toBe(0);
    expect(kv.audit()).toEqual([]);
  });
  for (const r of running) kv.free(r.request, ops.length);
  expect(kv.numUsedBlocks()).toBe(0);
  expect(kv.cachedRuns().every((run) => run.refCount === 0)).toBe(true);
  expect(kv.audit()).toEqual([]);
}

describe('KvCacheManager properties', () => {
  for (const [label, variant] of Object.entries(VARIANTS)) {
    it(`keeps blocks conserved, bounded and owned under random operations: ${label}`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 24 }),
          fc.constantFrom(1, 2, 4),
          fc.array(segmentsArb, { minLength: 1, maxLength: 5, size: 'large' }),
          fc.array(opArb, { minLength: 10, maxLength: 80, size: 'large' }),
          (numTotalBlocks, blockSizeTokens, prompts, ops) => {
            const kv = createKvCacheManager({ numTotalBlocks, blockSizeTokens, ...variant });
            runOps(kv, prompts, ops);
          },
        ),
        { numRuns: 250, seed: 20_240_601 },
      );
    });
  }
});

/**
 * Oracle: the `types.ts` sharing rule written independently — common leading segments plus
 * the overlap of the first differing pair when both carry the same contentId.
 */
function sharedPrefixTokens(a: SimRequest, b: SimRequest): number {
  let shared = 0;
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const x = a.segments[i]!;
    const y = b.segments[i]!;
    if (x.contentId !== y.contentId) break;
    shared += Math.min(x.tokens, y.tokens);
    if (x.tokens !== y.tokens) break;
  }
  return shared;
}

describe('prefix lookup oracle', () => {
  it('finds the longest block-aligned prefix shared with any freed prompt when nothing is evicted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4),
        fc.array(fc.tuple(fc.boolean(), segmentsArb), { maxLength: 25 }),
        (blockSizeTokens, steps) => {
          const kv = createKvCacheManager({
            numTotalBlocks: 10_000,
            blockSizeTokens,
            prefixCaching: true,
          });
          const cached: SimRequest[] = [];
          steps.forEach(([admit, segments], i) => {
            const request = makeRequest(i, segments);
            const cap = Math.max(0, request.promptTokens - 1);
            const expected = Math.max(
              0,
              ...cached.map((c) => {
                const full = Math.floor(c.promptTokens / blockSizeTokens) * blockSizeTokens;
                const n = Math.min(sharedPrefixTokens(request, c), full, cap);
                return n - (n % blockSizeTokens);
              }),
            );
            expect(kv.lookupPrefix(request, i).cachedTokens).toBe(expected);
            if (admit) {
              kv.allocate(request, request.promptTokens, i);
              kv.free(request, i);
              cached.push(request);
            }
          });
          expect(kv.stats().evictedBlocks).toBe(0);
          expect(kv.audit()).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
