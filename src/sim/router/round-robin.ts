/**
 * Round-robin routing that skips replicas that are down.
 *
 * Source: vLLM production-stack `RoundRobinRouter` (`vllm_router.routers.routing_logic`), which
 * cycles a counter over the healthy endpoints. Here the cursor walks the whole fleet in index
 * order and steps over down replicas, so a failure does not shift every other replica's turn.
 */
import type { FleetView, Router } from '../types.js';

/** Round-robin takes no options; the type exists so every registry entry has one. */
export type RoundRobinOptions = Record<string, never>;

/**
 * Replicas in index order 0, 1, …, n − 1, 0, …, skipping down ones; -1 when none is up.
 * Complexity: O(1 + the number of consecutive down replicas stepped over), at most O(n) when
 * the whole fleet is down. Ignores `ctx.rng` and the loads.
 * @example createRoundRobinRouter() routes a 3-replica fleet 0, 1, 2, 0, …
 */
export function createRoundRobinRouter(_options: RoundRobinOptions = {}): Router {
  let nextIndex = 0;
  return {
    name: 'round-robin',
    route(_request, fleet: FleetView) {
      const numReplicas = fleet.numReplicas;
      for (let step = 0; step < numReplicas; step++) {
        const index = (nextIndex + step) % numReplicas;
        if (fleet.load(index).up) {
          nextIndex = (index + 1) % numReplicas;
          return index;
        }
      }
      return -1;
    },
  };
}
