/**
 * KV-cache manager without prefix caching: a counter pool (the fast path). A request holds
 * ⌈tokens / blockSize⌉ private blocks; `free` returns them all. Every operation is O(1)
 * with one map entry per running request.
 */
import type { KvCacheStats, PrefixLookup, SimRequest } from '../types.js';
import {
  numBlocksFor,
  requireTokenCount,
  resolveKvCacheOptions,
  type CachedRunView,
  type KvCache,
  type KvCacheOptions,
  type OffloadTierUsage,
} from './kv-options.js';

const NO_HIT: PrefixLookup = Object.freeze({
  cachedTokens: 0,
  fromOffloadTokens: 0,
  reloadSeconds: 0,
});

class BlockPoolKvCacheManager implements KvCache {
  readonly prefixCaching = false;
  readonly blockSizeTokens: number;
  readonly numTotalBlocks: number;
  private numPoolBlocks: number;
  /** Blocks held per running request id. */
  private readonly numBlocksByRequest = new Map<number, number>();
  private lookupTokens = 0;

  constructor(numTotalBlocks: number, blockSizeTokens: number) {
    this.numTotalBlocks = numTotalBlocks;
    this.blockSizeTokens = blockSizeTokens;
    this.numPoolBlocks = numTotalBlocks;
  }

  numFreeBlocks(): number {
    return this.numPoolBlocks;
  }

  numUsedBlocks(): number {
    return this.numTotalBlocks - this.numPoolBlocks;
  }

  numBlocksFor(numTokens: number): number {
    return numBlocksFor(numTokens, this.blockSizeTokens);
  }

  numBlocksHeld(requestId: number): number {
    return this.numBlocksByRequest.get(requestId) ?? 0;
  }

  lookupPrefix(_request: SimRequest, _nowSeconds: number): PrefixLookup {
    return { ...NO_HIT };
  }

  allocate(request: SimRequest, numTokens: number, _nowSeconds: number): boolean {
    requireTokenCount(numTokens, request);
    const held = this.numBlocksByRequest.get(request.id);
    const numNeededBlocks = Math.ceil(numTokens / this.blockSizeTokens) - (held ?? 0);
    if (numNeededBlocks > this.numPoolBlocks) return false;
    if (held === undefined) this.lookupTokens += request.promptTokens;
    if (numNeededBlocks > 0) this.numPoolBlocks -= numNeededBlocks;
    this.numBlocksByRequest.set(request.id, (held ?? 0) + Math.max(0, numNeededBlocks));
    return true;
  }

  free(request: SimRequest, _nowSeconds: number): void {
    const held = this.numBlocksByRequest.get(request.id);
    if (held === undefined) return;
    this.numPoolBlocks += held;
    this.numBlocksByRequest.delete(request.id);
  }

  stats(): KvCacheStats {
    return {
      lookupTokens: this.lookupTokens,
      hitTokens: 0,
      offloadHitTokens: 0,
      evictedBlocks: 0,
      offloadedBlocks: 0,
      numCachedBlocks: 0,
    };
  }

  cachedRuns(): CachedRunView[] {
    return [];
  }

  offloadTierUsage(): OffloadTierUsage[] {
    return [];
  }

  audit(): string[] {
    const problems: string[] = [];
    let held = 0;
    for (const [id, n] of this.numBlocksByRequest) {
      if (!(Number.isInteger(n) && n >= 0)) problems.push(`request ${id} holds ${n} blocks`);
      held += n;
    }
    if (held + this.numPoolBlocks !== this.numTotalBlocks)
      problems.push(
        `held ${held} + pool ${this.numPoolBlocks} ≠ total ${this.numTotalBlocks} blocks`,
      );
    return problems;
  }
}

/**
 * A manager with no prefix cache: every prompt is computed from scratch.
 * @throws AifError E_INVALID_ARGUMENT for invalid block counts or sizes.
 */
export function createBlockPoolKvCacheManager(
  options: Omit<KvCacheOptions, 'prefixCaching'>,
): KvCache {
  const o = resolveKvCacheOptions({ ...options, prefixCaching: false });
  return new BlockPoolKvCacheManager(o.numTotalBlocks, o.blockSizeTokens);
}
