/** The router family of the serving twin (DESIGN §5): policies, registry, stale load views. */
export {
  ROUTERS,
  ROUTER_NAMES,
  createRouter,
  type RouterFactory,
  type RouterName,
  type RouterOf,
  type RouterOptions,
} from './registry.js';
export { staleFleetView, type StaleFleetOptions, type StaleFleetView } from './stale.js';
export { createRoundRobinRouter, type RoundRobinOptions } from './round-robin.js';
export { createRandomRouter, type RandomOptions } from './random.js';
export {
  createLeastOutstandingRequestsRouter,
  createLeastOutstandingTokensRouter,
  type LeastOutstandingOptions,
} from './least-outstanding.js';
export {
  createKvAwareRouter,
  KV_AWARE_DEFAULT_BLOCK_SIZE_TOKENS,
  type KvAwareOptions,
} from './kv-aware.js';
export {
  createSessionAffinityRouter,
  SESSION_AFFINITY_DEFAULT_MAX_SESSIONS,
  type SessionAffinityOptions,
  type SessionAffinityRouter,
} from './session-affinity.js';
export {
  createPrefixAffinityRouter,
  PREFIX_AFFINITY_DEFAULT_EPSILON,
  PREFIX_AFFINITY_MAX_PROBES,
  type PrefixAffinityOptions,
  type PrefixAffinityRouter,
} from './prefix-affinity.js';
export { createPowerOfTwoRouter, type PowerOfTwoOptions } from './power-of-two.js';
