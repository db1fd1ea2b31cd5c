/**
 * Least-outstanding routing: send each request to the up replica with the least work queued.
 *
 * Two measures of work:
 * - requests (waiting + running): "least request" / join-the-shortest-queue, e.g. Envoy's
 *   `LEAST_REQUEST` and the llm-d endpoint picker's queue scorer;
 * - tokens (prompt tokens still to prefill + output tokens still to generate): weighs a 100k-token
 *   agent context more than a 100-token chat turn, as DESIGN §5 asks of the router.
 *
 * Ties go to the lowest index. With loads that are stale (see `stale.ts`) this herds every
 * request to the same replica until the next refresh — Mitzenmacher, "How useful is old
 * information?", IEEE TPDS 11(1), 2000; `power-of-two-choices` is the remedy he proposes.
 * Complexity: O(n) per route (a full scan of the fleet), or the fleet's own index when it keeps
 * one (`FleetView.leastLoadedUp`: the serving twin's is O(1) per route, O(log n) per load change).
 */
import type { Router } from '../types.js';
import { leastLoadedUp } from './fleet-scan.js';

/** The least-outstanding policies take no options. */
export type LeastOutstandingOptions = Record<string, never>;

/** Up replica with the fewest outstanding requests (ties: lowest index); -1 when none is up. */
export function createLeastOutstandingRequestsRouter(
  _options: LeastOutstandingOptions = {},
): Router {
  return {
    name: 'least-outstanding-requests',
    route: (_request, fleet) => leastLoadedUp(fleet, 'numOutstandingRequests'),
  };
}

/** Up replica with the fewest outstanding tokens (ties: lowest index); -1 when none is up. */
export function createLeastOutstandingTokensRouter(_options: LeastOutstandingOptions = {}): Router {
  return {
    name: 'least-outstanding-tokens',
    route: (_request, fleet) => leastLoadedUp(fleet, 'numOutstandingTokens'),
  };
}
