/**
 * Reading a `FleetView` the way the routing policies need it: a least-loaded scan and a
 * uniform sample of an up replica. Shared by the policies so each one states only its score.
 */
import type { RngStream } from '../../core/rng.js';
import type { FleetView, LoadMeasure, ReplicaLoad } from '../types.js';

/** A replica's load as one number; the router prefers the smallest. */
export type LoadKey = (load: ReplicaLoad) => number;

/** Σ prompt tokens still to prefill + output tokens still to generate (`ReplicaLoad`). */
export const byOutstandingTokens: LoadKey = (load) => load.numOutstandingTokens;

/** Requests waiting or running on the replica. */
export const byOutstandingRequests: LoadKey = (load) => load.numOutstandingRequests;

/**
 * Index of the up replica with the smallest `key`; ties go to the lowest index; -1 when no
 * replica is up. O(n) in `fleet.numReplicas` (one `load` read per replica).
 * @example leastLoadedUpReplica(fleet, byOutstandingTokens)
 */
export function leastLoadedUpReplica(fleet: FleetView, key: LoadKey): number {
  let bestIndex = -1;
  let bestValue = Infinity;
  for (let i = 0; i < fleet.numReplicas; i++) {
    const load = fleet.load(i);
    if (!load.up) continue;
    const value = key(load);
    if (bestIndex < 0 || value < bestValue) {
      bestIndex = i;
      bestValue = value;
    }
  }
  return bestIndex;
}

const KEY_OF: Readonly<Record<LoadMeasure, LoadKey>> = {
  numOutstandingTokens: byOutstandingTokens,
  numOutstandingRequests: byOutstandingRequests,
};

/**
 * The up replica with the smallest `measure` (ties: lowest index; -1 when none is up): the
 * fleet's own index when it keeps one (`FleetView.leastLoadedUp`, O(log n) — the serving twin
 * does, so a thousand-replica fleet is not scanned per new session), else the O(n) scan.
 * @example leastLoadedUp(fleet, 'numOutstandingTokens')
 */
export function leastLoadedUp(fleet: FleetView, measure: LoadMeasure): number {
  return fleet.leastLoadedUp !== undefined
    ? fleet.leastLoadedUp(measure)
    : leastLoadedUpReplica(fleet, KEY_OF[measure]);
}

/**
 * How many uniform draws `sampleUpReplica` makes before it falls back to a scan. With a
 * fraction p of the fleet up, the fallback runs with probability (1 − p)^32: 2.3e-10 at p = ½.
 */
export const MAX_SAMPLE_REJECTIONS = 32;

/**
 * A replica drawn uniformly from the up replicas, or -1 when none is up.
 *
 * Rejection sampling: draw a uniform index, keep it if the replica is up. Each accepted draw is
 * uniform over the up replicas, so the result is exactly uniform; the expected number of draws
 * is n / numUp — O(1) while a constant fraction of the fleet is up. After
 * `MAX_SAMPLE_REJECTIONS` misses it counts the up replicas (O(n)) and draws the k-th, which is
 * also uniform, and is what returns -1 for an all-down fleet. Uses `rng` only, so the same
 * stream state and fleet give the same replica.
 */
export function sampleUpReplica(fleet: FleetView, rng: RngStream): number {
  const numReplicas = fleet.numReplicas;
  if (numReplicas === 0) return -1;
  for (let draw = 0; draw < MAX_SAMPLE_REJECTIONS; draw++) {
    const index = rng.nextInt(numReplicas);
    if (fleet.load(index).up) return index;
  }
  let numUp = 0;
  for (let i = 0; i < numReplicas; i++) if (fleet.load(i).up) numUp++;
  if (numUp === 0) return -1;
  let rank = rng.nextInt(numUp);
  for (let i = 0; i < numReplicas; i++) {
    if (!fleet.load(i).up) continue;
    if (rank === 0) return i;
    rank--;
  }
  return -1; // unreachable: rank < numUp
}
