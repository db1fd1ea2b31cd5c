/**
 * Prefix affinity: requests whose prompts start with the same content go to the same replica,
 * where that prefix is cached, unless that replica is overloaded.
 *
 * Key: the `contentId`s of the prompt's first `keySegments` segments (default 1: the system
 * prompt or shared document; 2 makes an agent session's calls share a key that differs between
 * sessions, since segment 2 is the session's first input).
 *
 * Placement — rendezvous (highest-random-weight) hashing, D. Thaler & C. Ravishankar, "Using
 * Name-Based Mappings to Increase Hit Rates", IEEE/ACM ToN 6(1), 1998: each key ranks all
 * replicas by a hash and uses the highest-ranked one that is up. When a replica goes down only
 * the keys it held move (≈ 1/n of them), spread evenly over the others; when it returns exactly
 * those keys move back. HRW scores every replica, O(n) per route; we generate the same kind of
 * ranking lazily instead: probe k of a key is replica ⌊h(key, k) · n / 2³²⌋ and the key goes to
 * its first probe that is up. First occurrences in a sequence of independent uniform probes
 * form a uniformly random permutation — the distribution of an HRW ranking — so the
 * minimal-disruption property is the same, at an expected n / numUp probes (O(1) while a
 * constant fraction of the fleet is up). After `PREFIX_AFFINITY_MAX_PROBES` probes that all hit
 * down replicas it falls back to a full HRW scan (still deterministic in the key and the set of
 * up replicas). Replicas are identified by index, so `numReplicas` must stay fixed for a run:
 * scaling in and out is modelled with `up`, as `ReplicaLoad` says.
 *
 * Load bound — "Consistent Hashing with Bounded Loads", V. Mirrokni, M. Thorup & M.
 * Zadimoghaddam, SODA 2018: a server takes a key only while its load is below (1 + ε) × the
 * mean load. Here, when the key's replica has more than (1 + ε) × the mean outstanding tokens
 * of the up replicas, the request goes to the least-outstanding-tokens replica instead (the
 * brief's fallback; Mirrokni et al. walk on to the next replica of the ranking). Default
 * ε = 0.25, the balance factor 1.25 that the liblb `bounded` balancer and Apache brpc's
 * `c_murmurhash_bl` default to (HAProxy: `hash-balance-factor 125`). ε = Infinity disables the
 * bound. The SGLang model gateway's cache-aware policy guards the same way with absolute and
 * relative imbalance thresholds (`balance_abs_threshold`, `balance_rel_threshold`).
 *
 * The mean needs Σ tokens over the fleet, an O(n) scan. To keep affinity hits O(1) amortised
 * the scan is repeated once per `meanRefreshRoutes` routes (default: once per `numReplicas`
 * routes) and after each fallback scan; in between, each routed request's prompt + output
 * tokens are added to the cached total (what it adds to `numOutstandingTokens` on arrival), and
 * progress made by the replicas is not seen until the next scan — so the mean errs high, making
 * the bound slightly looser. `meanRefreshRoutes: 1` recomputes it on every route.
 */
import { requireArg } from '../../core/errors.js';
import type { FleetView, Router, SimRequest } from '../types.js';
import { hashCombine, hashToIndex } from './hashing.js';

export interface PrefixAffinityOptions {
  /** ε ≥ 0 of the load bound (1 + ε) × mean outstanding tokens. Default 0.25; Infinity disables. */
  loadBoundEpsilon?: number;
  /** How many leading segments form the key (positive integer). Default 1. */
  keySegments?: number;
  /** uint32 mixed into every key: a different seed gives a different (still consistent) placement. Default 0. */
  hashSeed?: number;
  /** Routes between O(n) recomputations of the fleet's mean load (positive integer). Default: numReplicas. */
  meanRefreshRoutes?: number;
}

export const PREFIX_AFFINITY_DEFAULT_EPSILON = 0.25;

/** Probes before the full HRW scan: with half the fleet down the scan runs with probability 2⁻⁶⁴. */
export const PREFIX_AFFINITY_MAX_PROBES = 64;

const HRW_FALLBACK_SALT = 0x2545f491;

export interface PrefixAffinityRouter extends Router {
  /**
   * The replica the request's key hashes to among the up replicas, before the load bound; -1
   * when none is up or the request has no segments. Does not change the router's state.
   */
  preferredReplica(request: SimRequest, fleet: FleetView): number;
}

/**
 * See the module comment. Requests without segments go to the least-outstanding-tokens replica.
 * Ties in the fallback go to the lowest index; -1 when none is up. Ignores `ctx.rng`.
 * @throws AifError INVALID_ARGUMENT on a negative or NaN ε, or a `keySegments`,
 *   `meanRefreshRoutes` or `hashSeed` out of range.
 */
export function createPrefixAffinityRouter(
  options: PrefixAffinityOptions = {},
): PrefixAffinityRouter {
  const fn = 'createPrefixAffinityRouter';
  const epsilon = options.loadBoundEpsilon ?? PREFIX_AFFINITY_DEFAULT_EPSILON;
  const keySegments = options.keySegments ?? 1;
  const hashSeed = options.hashSeed ?? 0;
  const meanRefreshRoutes = options.meanRefreshRoutes;
  requireArg(epsilon >= 0, fn, `loadBoundEpsilon must be ≥ 0 (or Infinity), got ${epsilon}`);
  requireArg(
    Number.isInteger(keySegments) && keySegments > 0,
    fn,
    `keySegments must be a positive integer, got ${keySegments}`,
  );
  requireArg(
    Number.isInteger(hashSeed) && hashSeed >= 0 && hashSeed <= 0xffffffff,
    fn,
    `hashSeed must be an integer in [0, 2^32), got ${hashSeed}`,
  );
  requireArg(
    meanRefreshRoutes === undefined ||
      (Number.isInteger(meanRefreshRoutes) && meanRefreshRoutes > 0),
    fn,
    `meanRefreshRoutes must be a positive integer, got ${meanRefreshRoutes}`,
  );

  // Cached Σ outstanding tokens and count over up replicas (see the module comment).
  let cachedTotalTokens = 0;
  let cachedNumUp = 0;
  let routesSinceScan = Infinity;

  /** One O(n) pass: refreshes the cached mean and returns the least-outstanding-tokens replica. */
  const scan = (fleet: FleetView): number => {
    let leastIndex = -1;
    let leastTokens = Infinity;
    let totalTokens = 0;
    let numUp = 0;
    for (let i = 0; i < fleet.numReplicas; i++) {
      const load = fleet.load(i);
      if (!load.up) continue;
      numUp++;
      totalTokens += load.numOutstandingTokens;
      if (leastIndex < 0 || load.numOutstandingTokens < leastTokens) {
        leastIndex = i;
        leastTokens = load.numOutstandingTokens;
      }
    }
    cachedTotalTokens = totalTokens;
    cachedNumUp = numUp;
    routesSinceScan = 0;
    return leastIndex;
  };

  const keyHashOf = (request: SimRequest): number | undefined => {
    const segments = request.segments;
    if (segments.length === 0) return undefined;
    let hash = hashSeed;
    const numKeySegments = Math.min(keySegments, segments.length);
    for (let i = 0; i < numKeySegments; i++) hash = hashCombine(hash, segments[i]!.contentId);
    return hash;
  };

  const preferredForHash = (keyHash: number, fleet: FleetView): number => {
    const numReplicas = fleet.numReplicas;
    if (numReplicas === 0) return -1;
    for (let probe = 0; probe < PREFIX_AFFINITY_MAX_PROBES; probe++) {
      const index = hashToIndex(hashCombine(keyHash, probe), numReplicas);
      if (fleet.load(index).up) return index;
    }
    let bestIndex = -1;
    let bestWeight = -1;
    const fallbackHash = (keyHash ^ HRW_FALLBACK_SALT) >>> 0;
    for (let i = 0; i < numReplicas; i++) {
      if (!fleet.load(i).up) continue;
      const weight = hashCombine(fallbackHash, i);
      if (weight > bestWeight) {
        bestIndex = i;
        bestWeight = weight;
      }
    }
    return bestIndex;
  };

  const choose = (request: SimRequest, fleet: FleetView): number => {
    const keyHash = keyHashOf(request);
    if (keyHash === undefined) return scan(fleet);
    const preferred = preferredForHash(keyHash, fleet);
    if (preferred < 0 || epsilon === Infinity) return preferred;
    const refreshEvery = meanRefreshRoutes ?? fleet.numReplicas;
    if (routesSinceScan >= refreshEvery) scan(fleet);
    const meanTokens = cachedNumUp > 0 ? cachedTotalTokens / cachedNumUp : 0;
    if (fleet.load(preferred).numOutstandingTokens <= (1 + epsilon) * meanTokens) return preferred;
    return scan(fleet);
  };

  return {
    name: 'prefix-affinity',
    route(request, fleet) {
      const chosen = choose(request, fleet);
      if (chosen >= 0) {
        cachedTotalTokens += request.promptTokens + request.outputTokens;
        routesSinceScan++;
      }
      return chosen;
    },
    preferredReplica(request, fleet) {
      const keyHash = keyHashOf(request);
      return keyHash === undefined ? -1 : preferredForHash(keyHash, fleet);
    },
  };
}
