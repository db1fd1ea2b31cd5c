/**
 * `createKvCacheManager`: the KV-cache manager of one replica (DESIGN §5), chosen by
 * `prefixCaching` — a counter pool without it, the radix prefix cache with offload tiers
 * with it. Both implement `KvCacheManager` (src/sim/types.ts) and pass `kv.case.ts`.
 */
import { createBlockPoolKvCacheManager } from './block-pool-manager.js';
import type { KvCache, KvCacheOptions } from './kv-options.js';
import { createPrefixCacheKvCacheManager } from './prefix-cache-manager.js';

/**
 * @throws AifError E_INVALID_ARGUMENT naming the offending option.
 * @example
 * const kv = createKvCacheManager({ numTotalBlocks: 1000, blockSizeTokens: 16, prefixCaching: true });
 * kv.allocate(request, request.promptTokens, 0); // true when 1000 blocks suffice
 */
export function createKvCacheManager(options: KvCacheOptions): KvCache {
  const { prefixCaching, ...rest } = options;
  return prefixCaching
    ? createPrefixCacheKvCacheManager(rest)
    : createBlockPoolKvCacheManager(rest);
}
