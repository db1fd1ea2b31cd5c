/**
 * Options, block math and the inspectable manager type shared by the two KV-cache managers
 * (DESIGN §5): the counter pool (`prefixCaching: false`) and the radix prefix cache with
 * offload tiers (`prefixCaching: true`).
 */
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';
import type { KvCacheManager, SimRequest } from '../types.js';
import {
  EVICTION_POLICIES,
  type EvictionPolicy,
  type EvictionPolicyName,
} from './eviction-policy.js';

/** A slower tier that holds KV blocks evicted from HBM (host DRAM, local NVMe, …). */
export interface OffloadTierOptions {
  name: 'host-dram' | 'nvme' | (string & {});
  /** Blocks the tier holds (same block size as HBM). 0 disables the tier. */
  capacityBlocks: number;
  /** Transfer bandwidth back to HBM (PCIe for host DRAM, NVMe read for SSDs). */
  bandwidthBytesPerSecond: number;
  /** Fixed cost of one reload from the tier (setup, first byte). */
  latencySeconds: number;
}

export interface KvCacheOptions {
  numTotalBlocks: number;
  blockSizeTokens: number;
  prefixCaching: boolean;
  /**
   * Offload tiers ordered fastest first. Evicted prefixes go to the first tier; a full tier
   * demotes its own least-recently-used runs to the next one; the last tier drops them.
   * Ignored without prefix caching (nothing is ever cached, so nothing is offloaded).
   */
  offloadTiers?: readonly OffloadTierOptions[];
  /** Bytes of KV cache per token on this replica (all layers, this replica's shard). Needed with offload tiers. */
  kvBytesPerToken?: number;
  /**
   * Seconds to recompute (prefill) `numTokens` tokens of an offloaded prefix. When given, an
   * offload hit is reloaded only if that is not slower than recomputing; otherwise the
   * offloaded part counts as not cached. Absent: offload hits are always reloaded.
   */
  recomputeSecondsForTokens?: (numTokens: number) => number;
  /** Sort key for eviction in every tier (default `lru`, in simulated time). */
  evictionPolicy?: EvictionPolicyName;
}

/** A KV-cache manager plus read-only views for tests, metrics and the dashboard. */
export interface KvCache extends KvCacheManager {
  readonly prefixCaching: boolean;
  /** Blocks needed for `numTokens` tokens: ⌈numTokens / blockSizeTokens⌉. */
  numBlocksFor(numTokens: number): number;
  /** Blocks the request holds now (shared cached prefix + private), 0 once freed. */
  numBlocksHeld(requestId: number): number;
  /** The cached runs in depth-first order (empty without prefix caching). O(runs). */
  cachedRuns(): CachedRunView[];
  /** Occupancy of each offload tier, fastest first. */
  offloadTierUsage(): OffloadTierUsage[];
  /**
   * Check every internal invariant by brute force (block conservation, ref counts, tier
   * capacities and ordering, eviction-heap membership) and describe each violation.
   * O(runs + requests); for tests.
   */
  audit(): string[];
}

/** One cached run: `endTokens − startTokens` tokens of content `contentId` from `contentOffsetTokens`. */
export interface CachedRunView {
  contentId: number;
  contentOffsetTokens: number;
  /** Position of the run in the prompt token stream, [startTokens, endTokens). */
  startTokens: number;
  endTokens: number;
  /** Blocks the run owns: those whose last token lies in the run. */
  numBlocks: number;
  /** `hbm` or the offload tier's name. */
  tier: string;
  refCount: number;
  lastAccessSeconds: number;
}

export interface OffloadTierUsage {
  name: string;
  capacityBlocks: number;
  numUsedBlocks: number;
}

/** Resolved options: validated, zero-capacity tiers removed, policy looked up. */
export interface ResolvedKvCacheOptions {
  numTotalBlocks: number;
  blockSizeTokens: number;
  offloadTiers: readonly OffloadTierOptions[];
  kvBytesPerToken: number;
  recomputeSecondsForTokens: ((numTokens: number) => number) | undefined;
  evictionPolicy: EvictionPolicy;
}

/**
 * Blocks needed to hold `numTokens` tokens: ⌈numTokens / blockSizeTokens⌉. O(1).
 * @throws AifError E_INVALID_ARGUMENT for a negative or fractional token count.
 * @example numBlocksFor(33, 16) // 3
 */
export function numBlocksFor(numTokens: number, blockSizeTokens: number): number {
  requireArg(
    Number.isInteger(numTokens) && numTokens >= 0,
    'numBlocksFor',
    `numTokens must be a non-negative integer (got ${numTokens})`,
  );
  return Math.ceil(numTokens / blockSizeTokens);
}

/** Validate the options (error messages name the field) and fill defaults. */
export function resolveKvCacheOptions(options: KvCacheOptions): ResolvedKvCacheOptions {
  const fn = 'createKvCacheManager';
  const { numTotalBlocks, blockSizeTokens } = options;
  requireArg(
    Number.isInteger(numTotalBlocks) && numTotalBlocks >= 0,
    fn,
    `numTotalBlocks must be a non-negative integer (got ${numTotalBlocks})`,
  );
  requireArg(
    Number.isInteger(blockSizeTokens) && blockSizeTokens >= 1,
    fn,
    `blockSizeTokens must be a positive integer (got ${blockSizeTokens})`,
  );
  const tiers = options.prefixCaching ? (options.offloadTiers ?? []) : [];
  tiers.forEach((t, i) => {
    requireArg(
      Number.isInteger(t.capacityBlocks) && t.capacityBlocks >= 0,
      fn,
      `offloadTiers[${i}].capacityBlocks must be a non-negative integer (got ${t.capacityBlocks})`,
    );
    requireArg(
      t.bandwidthBytesPerSecond > 0 && Number.isFinite(t.bandwidthBytesPerSecond),
      fn,
      `offloadTiers[${i}].bandwidthBytesPerSecond must be positive and finite (got ${t.bandwidthBytesPerSecond})`,
    );
    requireArg(
      t.latencySeconds >= 0 && Number.isFinite(t.latencySeconds),
      fn,
      `offloadTiers[${i}].latencySeconds must be non-negative and finite (got ${t.latencySeconds})`,
    );
  });
  const offloadTiers = tiers.filter((t) => t.capacityBlocks > 0);
  const kvBytesPerToken = options.kvBytesPerToken ?? 0;
  requireArg(
    offloadTiers.length === 0 || (kvBytesPerToken > 0 && Number.isFinite(kvBytesPerToken)),
    fn,
    `kvBytesPerToken must be positive and finite with offload tiers (got ${options.kvBytesPerToken})`,
  );
  const policyName = options.evictionPolicy ?? 'lru';
  const evictionPolicy = EVICTION_POLICIES[policyName];
  requireArg(
    evictionPolicy !== undefined,
    fn,
    `evictionPolicy must be one of ${Object.keys(EVICTION_POLICIES).join(', ')} (got ${policyName})`,
  );
  return {
    numTotalBlocks,
    blockSizeTokens,
    offloadTiers,
    kvBytesPerToken,
    recomputeSecondsForTokens: options.recomputeSecondsForTokens,
    evictionPolicy,
  };
}

/** Argument check shared by both managers' `allocate` (hot: the message is built only on failure). */
export function requireTokenCount(numTokens: number, request: SimRequest): void {
  if (!(Number.isInteger(numTokens) && numTokens >= 0))
    invalidArgument(
      'KvCacheManager.allocate',
      `numTokens must be a non-negative integer (got ${numTokens} for request ${request.id})`,
    );
}
