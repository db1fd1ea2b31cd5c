/**
 * Stale load reports: a `FleetView` decorator that shows the router each replica's load as it
 * was at the last refresh, to model routers that act on periodically scraped metrics (the vLLM
 * production-stack router scrapes engine stats from each engine's `/metrics` on an interval;
 * the llm-d / Gateway API Inference Extension endpoint picker refreshes endpoint metrics on an
 * interval too). Mitzenmacher, "How useful is old information?" (IEEE TPDS 11(1), 2000) shows why
 * it matters: with old loads, "go to the least loaded" herds every request onto the same replica
 * until the next report, while two random choices stay good.
 *
 * Refresh boundaries are k × refreshSeconds (k = 0, 1, …), measured as
 * epoch(t) = ⌊t / refreshSeconds⌋. `at(nowSeconds)` takes a new snapshot of every replica when it
 * is the first call or when epoch(nowSeconds) has passed the snapshot's epoch; otherwise it
 * serves the snapshot. The snapshot holds what the underlying view showed at that first call
 * (the simulation has no state between events, so the first route after a boundary stands for
 * the scrape). Cost: O(n) per refresh, O(1) per `load` read in between.
 *
 * Health (`up`) is read live by default: a failed replica is seen at once (connection errors,
 * endpoint removal), while load metrics lag. `staleHealth: true` snapshots `up` as well, so a
 * router may pick a replica that has since gone down — the caller must then handle that.
 */
import { requireArg } from '../../core/errors.js';
import type { FleetView, ReplicaLoad } from '../types.js';

export interface StaleFleetOptions {
  /** Seconds between load reports (> 0, finite). */
  refreshSeconds: number;
  /** Snapshot `up` too instead of reading it live. Default false. */
  staleHealth?: boolean;
}

export interface StaleFleetView {
  readonly refreshSeconds: number;
  /**
   * The fleet as the router sees it at `nowSeconds` (non-decreasing across calls). The returned
   * view stays the snapshot of that epoch until the next `at` call refreshes it.
   * @throws AifError INVALID_ARGUMENT when `nowSeconds` is not finite or goes backwards.
   */
  at(nowSeconds: number): FleetView;
  /** Time of the call that took the current snapshot; undefined before the first `at`. */
  readonly snapshotSeconds: number | undefined;
}

/**
 * Wrap `view` (live loads) so reads between refresh boundaries return the last snapshot.
 * @throws AifError INVALID_ARGUMENT when `refreshSeconds` is not a positive finite number.
 * @example
 *   const stale = staleFleetView(liveFleet, { refreshSeconds: 0.5 });
 *   router.route(request, stale.at(nowSeconds), ctx);
 */
export function staleFleetView(view: FleetView, options: StaleFleetOptions): StaleFleetView {
  const { refreshSeconds } = options;
  const staleHealth = options.staleHealth ?? false;
  requireArg(
    Number.isFinite(refreshSeconds) && refreshSeconds > 0,
    'staleFleetView',
    `refreshSeconds must be a positive finite number, got ${refreshSeconds}`,
  );

  let snapshot: ReplicaLoad[] = [];
  let snapshotEpoch = -Infinity;
  let snapshotSeconds: number | undefined;
  let lastNowSeconds = -Infinity;

  const loadAt = (index: number): ReplicaLoad => {
    const frozen = snapshot[index];
    requireArg(
      frozen !== undefined,
      'staleFleetView.load',
      `index must be in [0, ${snapshot.length}), got ${index}`,
    );
    if (staleHealth) return frozen;
    const up = view.load(index).up;
    return up === frozen.up ? frozen : { ...frozen, up };
  };
  const snapshotView: FleetView = {
    get numReplicas() {
      return snapshot.length;
    },
    load: loadAt,
  };

  return {
    refreshSeconds,
    get snapshotSeconds() {
      return snapshotSeconds;
    },
    at(nowSeconds) {
      requireArg(
        Number.isFinite(nowSeconds) && nowSeconds >= lastNowSeconds,
        'staleFleetView.at',
        `nowSeconds must be finite and non-decreasing, got ${nowSeconds} after ${lastNowSeconds}`,
      );
      lastNowSeconds = nowSeconds;
      const epoch = Math.floor(nowSeconds / refreshSeconds);
      if (epoch > snapshotEpoch) {
        const next: ReplicaLoad[] = new Array<ReplicaLoad>(view.numReplicas);
        for (let i = 0; i < view.numReplicas; i++) next[i] = Object.freeze({ ...view.load(i) });
        snapshot = next;
        snapshotEpoch = epoch;
        snapshotSeconds = nowSeconds;
      }
      return snapshotView;
    },
  };
}
