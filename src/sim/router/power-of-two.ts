/**
 * Power of two choices: draw two up replicas uniformly (independently, with replacement) and
 * send the request to the one with fewer outstanding tokens.
 *
 * Source: M. Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing", IEEE TPDS
 * 12(10), 2001 — the maximum load drops from Θ(log n / log log n) for one random choice to
 * log log n / log 2 + O(1) for two; and "How useful is old information?" (IEEE TPDS 11(1), 2000),
 * which shows it stays good when loads are stale, where least-loaded herds. Offered as
 * `power_of_two` by the SGLang model gateway and vLLM Router.
 */
import type { Router } from '../types.js';
import { sampleUpReplica } from './fleet-scan.js';

/** Power of two choices takes no options: its randomness is `ctx.rng`. */
export type PowerOfTwoOptions = Record<string, never>;

/**
 * Of two uniform draws over the up replicas (`ctx.rng`), the one with fewer outstanding tokens;
 * a tie goes to the lower index. -1 when none is up. Expected O(n / numUp) — O(1) while a
 * constant fraction of the fleet is up. Always makes two draws, so the rng stream advances the
 * same way whatever the loads are.
 */
export function createPowerOfTwoRouter(_options: PowerOfTwoOptions = {}): Router {
  return {
    name: 'power-of-two-choices',
    route(_request, fleet, ctx) {
      const first = sampleUpReplica(fleet, ctx.rng);
      if (first < 0) return -1;
      const second = sampleUpReplica(fleet, ctx.rng);
      const firstTokens = fleet.load(first).numOutstandingTokens;
      const secondTokens = fleet.load(second).numOutstandingTokens;
      if (secondTokens < firstTokens) return second;
      if (secondTokens === firstTokens && second < first) return second;
      return first;
    },
  };
}
