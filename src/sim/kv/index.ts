/** Public API of the KV-cache family (DESIGN §5). */
export { createKvCacheManager } from './kv-cache-manager.js';
export { createBlockPoolKvCacheManager } from './block-pool-manager.js';
export { createPrefixCacheKvCacheManager } from './prefix-cache-manager.js';
export {
  numBlocksFor,
  type CachedRunView,
  type KvCache,
  type KvCacheOptions,
  type OffloadTierOptions,
  type OffloadTierUsage,
} from './kv-options.js';
export {
  EVICTION_POLICIES,
  type EvictionCandidate,
  type EvictionPolicy,
  type EvictionPolicyName,
} from './eviction-policy.js';
