/**
 * The routing policies by name (DESIGN §5). A scenario names a policy; `createRouter` builds a
 * fresh instance (routers hold state: a round-robin cursor, a session table). Shared code looks
 * policies up here and never branches on a name (STYLE.md).
 *
 * | name                        | per route               | uses ctx.rng | state                 |
 * |-----------------------------|-------------------------|--------------|-----------------------|
 * | round-robin                 | O(1) amortised          | no           | cursor                |
 * | random                      | O(1) expected           | yes          | none                  |
 * | power-of-two-choices        | O(1) expected           | yes          | none                  |
 * | least-outstanding-requests  | O(n) scan               | no           | none                  |
 * | least-outstanding-tokens    | O(n) scan               | no           | none                  |
 * | kv-aware                    | O(n) scan               | no           | none                  |
 * | session-affinity            | O(1) hit, O(n) miss     | no           | LRU session table     |
 * | prefix-affinity             | O(1) amortised hit      | no           | cached fleet mean     |
 *
 * "O(1) expected" assumes a constant fraction of the fleet is up. None needs `onComplete`.
 */
import type { Router } from '../types.js';
import { createKvAwareRouter } from './kv-aware.js';
import {
  createLeastOutstandingRequestsRouter,
  createLeastOutstandingTokensRouter,
} from './least-outstanding.js';
import { createPowerOfTwoRouter } from './power-of-two.js';
import { createPrefixAffinityRouter } from './prefix-affinity.js';
import { createRandomRouter } from './random.js';
import { createRoundRobinRouter } from './round-robin.js';
import { createSessionAffinityRouter } from './session-affinity.js';

/** Builds a fresh router from its policy's options (each policy declares its own). */
export type RouterFactory<Options> = (options?: Options) => Router;

export const ROUTERS = {
  'round-robin': createRoundRobinRouter,
  random: createRandomRouter,
  'least-outstanding-requests': createLeastOutstandingRequestsRouter,
  'least-outstanding-tokens': createLeastOutstandingTokensRouter,
  'kv-aware': createKvAwareRouter,
  'session-affinity': createSessionAffinityRouter,
  'prefix-affinity': createPrefixAffinityRouter,
  'power-of-two-choices': createPowerOfTwoRouter,
} as const satisfies Record<string, RouterFactory<never>>;

export type RouterName = keyof typeof ROUTERS;

/** The options a policy takes, e.g. `RouterOptions<'kv-aware'>` is `KvAwareOptions`. */
export type RouterOptions<N extends RouterName> = NonNullable<Parameters<(typeof ROUTERS)[N]>[0]>;

/** The router a policy builds (session-affinity and prefix-affinity add methods). */
export type RouterOf<N extends RouterName> = ReturnType<(typeof ROUTERS)[N]>;

/** Names of the registered policies, in registry order. */
export const ROUTER_NAMES = Object.keys(ROUTERS) as RouterName[];

/**
 * A fresh router of policy `name`.
 * @throws AifError INVALID_ARGUMENT when the options are out of range (see each policy).
 * @example createRouter('prefix-affinity', { loadBoundEpsilon: 0.5 })
 */
export function createRouter<N extends RouterName>(
  name: N,
  options?: RouterOptions<N>,
): RouterOf<N> {
  const factory = ROUTERS[name] as RouterFactory<RouterOptions<N>>;
  return factory(options) as RouterOf<N>;
}
