/**
 * N + k spares as pure bookkeeping (DESIGN §5 "Failures"). The fleet owns N + k units of
 * replica hardware; N are installed in replicas, k wait in a spare pool. The caller samples
 * times (repair, failures) and schedules events; this module only decides who gets which unit
 * and when it serves again.
 *
 * Rules:
 * - A replica fails: its unit goes to repair. If a spare is free, the replica takes it and is
 *   back at now + spareSwapSeconds; otherwise it waits (FIFO).
 * - A unit comes back from repair: if its own replica is still waiting, it goes back in place
 *   and the replica is back at once (the repair time already covers reinstalling it);
 *   otherwise the first waiting replica gets it at now + spareSwapSeconds; otherwise it joins
 *   the pool.
 * Invariant: installed + in repair + in the pool = N + k, every replica holds at most one
 * unit, and a replica waits exactly when it holds none.
 */
import { requireArg } from '../../core/errors.js';

export interface SparePoolOptions {
  numReplicas: number;
  numSpares: number;
  /** Time to bring a spare unit into a replica, seconds. */
  spareSwapSeconds: number;
}

/** A replica that serves again at `readyAtSeconds` on unit `unitId`. */
export interface Restoration {
  replicaIndex: number;
  unitId: number;
  readyAtSeconds: number;
  /** True when a unit other than the replica's own was installed (a swap). */
  swapped: boolean;
}

export interface FailureOutcome {
  /** The unit now in repair: call `unitRepaired(unitId, …)` when its repair ends. */
  unitInRepair: number;
  /** Set when a spare was free. */
  restoration?: Restoration;
}

export interface SparePool {
  replicaFailed(replicaIndex: number, nowSeconds: number): FailureOutcome;
  unitRepaired(unitId: number, nowSeconds: number): Restoration | undefined;
  numSparesAvailable(): number;
  numUnitsInRepair(): number;
  /** Replicas waiting for a unit, in arrival order. */
  waitingReplicas(): readonly number[];
  /** The unit installed in a replica, or undefined while it waits. */
  unitOf(replicaIndex: number): number | undefined;
}

/**
 * Create the pool: units 0..N−1 start installed in replicas 0..N−1, units N..N+k−1 start as
 * spares.
 * @throws AifError(E_INVALID_ARGUMENT) for counts that are not non-negative integers (N ≥ 1),
 *   a negative swap time, a failure of a replica that holds no unit, or a repair of a unit not
 *   in repair.
 */
export function createSparePool(o: SparePoolOptions): SparePool {
  const fn = 'createSparePool';
  requireArg(
    Number.isInteger(o.numReplicas) && o.numReplicas >= 1,
    fn,
    `numReplicas must be an integer ≥ 1, got ${o.numReplicas}`,
  );
  requireArg(
    Number.isInteger(o.numSpares) && o.numSpares >= 0,
    fn,
    `numSpares must be an integer ≥ 0, got ${o.numSpares}`,
  );
  requireArg(
    o.spareSwapSeconds >= 0,
    fn,
    `spareSwapSeconds must be ≥ 0, got ${o.spareSwapSeconds}`,
  );

  const installed: (number | undefined)[] = Array.from({ length: o.numReplicas }, (_, i) => i);
  /** Replica a unit in repair last served (its "home" for an in-place return). */
  const inRepair = new Map<number, number>();
  const pool: number[] = Array.from({ length: o.numSpares }, (_, i) => o.numReplicas + i);
  const waiting: number[] = [];

  const checkReplica = (method: string, index: number): void => {
    requireArg(
      Number.isInteger(index) && index >= 0 && index < o.numReplicas,
      `SparePool.${method}`,
      `no replica ${index} (0..${o.numReplicas - 1})`,
    );
  };

  const install = (
    replicaIndex: number,
    unitId: number,
    readyAtSeconds: number,
    swapped: boolean,
  ) => {
    installed[replicaIndex] = unitId;
    return { replicaIndex, unitId, readyAtSeconds, swapped };
  };

  return {
    replicaFailed(replicaIndex, nowSeconds) {
      checkReplica('replicaFailed', replicaIndex);
      const unit = installed[replicaIndex];
      requireArg(
        unit !== undefined,
        'SparePool.replicaFailed',
        `replica ${replicaIndex} holds no unit (it is waiting)`,
      );
      installed[replicaIndex] = undefined;
      inRepair.set(unit, replicaIndex);
      const spare = pool.shift();
      if (spare === undefined) {
        waiting.push(replicaIndex);
        return { unitInRepair: unit };
      }
      return {
        unitInRepair: unit,
        restoration: install(replicaIndex, spare, nowSeconds + o.spareSwapSeconds, true),
      };
    },

    unitRepaired(unitId, nowSeconds) {
      const home = inRepair.get(unitId);
      requireArg(home !== undefined, 'SparePool.unitRepaired', `unit ${unitId} is not in repair`);
      inRepair.delete(unitId);
      const homeAt = waiting.indexOf(home);
      if (homeAt >= 0) {
        waiting.splice(homeAt, 1);
        return install(home, unitId, nowSeconds, false);
      }
      const next = waiting.shift();
      if (next !== undefined) return install(next, unitId, nowSeconds + o.spareSwapSeconds, true);
      pool.push(unitId);
      return undefined;
    },

    numSparesAvailable: () => pool.length,
    numUnitsInRepair: () => inRepair.size,
    waitingReplicas: () => [...waiting],
    unitOf(replicaIndex) {
      checkReplica('unitOf', replicaIndex);
      return installed[replicaIndex];
    },
  };
}
