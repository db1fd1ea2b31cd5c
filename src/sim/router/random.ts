/**
 * Uniform random routing over the up replicas: the `random` policy of the SGLang router (and of
 * the vLLM Router forked from it), a baseline; in Mitzenmacher, "The Power of Two Choices in
 * Randomized Load Balancing" (IEEE TPDS 2001), the one-choice case whose maximum load is
 * Θ(log n / log log n).
 */
import type { Router } from '../types.js';
import { sampleUpReplica } from './fleet-scan.js';

/** Random takes no options: its randomness is `ctx.rng`. */
export type RandomOptions = Record<string, never>;

/**
 * A replica drawn uniformly from the up replicas with `ctx.rng`; -1 when none is up.
 * Expected O(n / numUp) — O(1) while a constant fraction of the fleet is up (see
 * `sampleUpReplica`).
 */
export function createRandomRouter(_options: RandomOptions = {}): Router {
  return {
    name: 'random',
    route: (_request, fleet, ctx) => sampleUpReplica(fleet, ctx.rng),
  };
}
