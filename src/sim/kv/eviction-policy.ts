/**
 * Eviction policies as sort keys (SGLang `evict_policy.py`): the unreferenced leaf run with
 * the smallest key leaves a tier first; equal keys go in insertion order. Time is simulated
 * (the `nowSeconds` passed to the manager), never wall-clock.
 */

/** What a policy may read about a cached run. */
export interface EvictionCandidate {
  /** Simulated time the run was last claimed by or released from a request. */
  readonly lastAccessSeconds: number;
  /** Order in which the run's content entered the cache (a split run keeps its number). */
  readonly insertionSeq: number;
}

export interface EvictionPolicy {
  readonly name: string;
  /** Smaller keys are evicted first; ties by `insertionSeq`. */
  sortKey(run: EvictionCandidate): number;
}

export const EVICTION_POLICIES = {
  /** Least recently used first (vLLM v1 free-block queue, SGLang default). */
  lru: { name: 'lru', sortKey: (run: EvictionCandidate) => run.lastAccessSeconds },
  /** First inserted first, whatever the use since. */
  fifo: { name: 'fifo', sortKey: (run: EvictionCandidate) => run.insertionSeq },
} as const satisfies Record<string, EvictionPolicy>;

export type EvictionPolicyName = keyof typeof EVICTION_POLICIES;

/** Is `a` evicted before `b` under `policy`? Total order: key, then insertion order. */
export function evictsBefore(
  policy: EvictionPolicy,
  a: EvictionCandidate,
  b: EvictionCandidate,
): boolean {
  const ka = policy.sortKey(a);
  const kb = policy.sortKey(b);
  return ka < kb || (ka === kb && a.insertionSeq < b.insertionSeq);
}
