/**
 * Power of one replica for one engine iteration, with an optional board power cap (DESIGN §5
 * "Power", §6). A thin composition: perf/power.ts owns the power-vs-activity model and its
 * constants (idle ↔ TDP by activity, host and network per system, facility = IT × PUE); this
 * file only applies the cap curve of power-cap.ts on top.
 *
 * Under a binding cap the iteration takes `slowdownFactor` times longer and every board draws
 * the cap. perf/power.ts reads power from activity, so the capped draw is expressed as the
 * activity scaled to the capped load (load_capped / load); host power then follows the boards'
 * drawn load, as perf/power.ts's linear host model does uncapped.
 */
import type { System } from '../../catalog/types.js';
import type { PreparedDeployment } from '../../perf/costs.js';
import {
  activityLoad,
  replicaPower,
  scaleActivity,
  type Activity,
  type PowerAtBoundaries,
} from '../../perf/power.js';
import { powerCapSlowdown, type PowerCapCurve } from './power-cap.js';
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';

export interface ReplicaIterationPowerInput {
  prepared: PreparedDeployment;
  /** The iteration's activity at full (uncapped) speed, as shares of its wall time. */
  activity: Activity;
  /** The system the replica runs on, for host and network power; absent: boards only. */
  system?: System;
  /** Facility PUE (facility = IT × PUE). */
  pue: number;
  /** Board power cap per accelerator, watts; absent or ≥ TDP: uncapped. */
  capWatts?: number;
  /** Default: power-cap.ts `DEFAULT_POWER_CAP_CURVE`. */
  curve?: PowerCapCurve;
}

export interface ReplicaIterationPower {
  /** Multiplier on the iteration's uncapped duration, ≥ 1. */
  slowdownFactor: number;
  /** Power drawn by one board during the (stretched) iteration, watts. */
  acceleratorWatts: number;
  /** Power drawn at each boundary during the (stretched) iteration. */
  power: PowerAtBoundaries;
  /** What the replica would draw uncapped. */
  uncapped: PowerAtBoundaries;
  capped: boolean;
}

/**
 * Replica power for one iteration under an optional cap.
 * @throws AifError(E_INVALID_ARGUMENT) when the cap is at or below the board's idle power (from
 *   `powerCapSlowdown`) or PUE < 1.
 */
export function replicaIterationPower(input: ReplicaIterationPowerInput): ReplicaIterationPower {
  const { prepared, activity, system, pue } = input;
  if (!(pue >= 1)) invalidArgument('replicaIterationPower', `pue must be ≥ 1, got ${pue}`);
  const acc = prepared.deployment.accelerator;
  const tdpWatts = acc.tdpWatts.value;
  const uncapped = replicaPower(prepared, activity, system, pue);
  const uncappedResult = (): ReplicaIterationPower => ({
    slowdownFactor: 1,
    acceleratorWatts: uncapped.chipWatts / prepared.gpusPerReplica,
    power: uncapped,
    uncapped,
    capped: false,
  });
  if (input.capWatts === undefined || input.capWatts >= tdpWatts) return uncappedResult();

  const load = activityLoad(activity);
  const cap = powerCapSlowdown({
    capFraction: input.capWatts / tdpWatts,
    activityLoad: load,
    idleFraction: acc.idleWatts.value / tdpWatts,
    ...(input.curve ? { curve: input.curve } : {}),
  });
  if (!cap.capped) return uncappedResult();
  const power = replicaPower(prepared, scaleActivity(activity, cap.cappedLoad / load), system, pue);
  return {
    slowdownFactor: cap.slowdownFactor,
    acceleratorWatts: power.chipWatts / prepared.gpusPerReplica,
    power,
    uncapped,
    capped: true,
  };
}

const NO_ACTIVITY: Activity = { computeBoundShare: 0, memoryBoundShare: 0, otherBusyShare: 0 };

export interface ReplicaIdlePowerInput {
  prepared: PreparedDeployment;
  system?: System;
  pue: number;
}

/** Power of an idle replica (no work; boards at idle, host at idle) at each boundary. */
export function replicaIdlePower(input: ReplicaIdlePowerInput): PowerAtBoundaries {
  requireArg(input.pue >= 1, 'replicaIdlePower', `pue must be ≥ 1, got ${input.pue}`);
  return replicaPower(input.prepared, NO_ACTIVITY, input.system, input.pue);
}

export interface EnergyAtBoundaries {
  chipJoules: number;
  nodeJoules: number;
  facilityJoules: number;
}

/** Energy of a constant-power interval at each boundary: watts × seconds. */
export function energyAtBoundaries(
  power: PowerAtBoundaries,
  durationSeconds: number,
): EnergyAtBoundaries {
  requireArg(
    durationSeconds >= 0,
    'energyAtBoundaries',
    `duration must be ≥ 0 s, got ${durationSeconds}`,
  );
  return {
    chipJoules: power.chipWatts * durationSeconds,
    nodeJoules: power.nodeWatts * durationSeconds,
    facilityJoules: power.facilityWatts * durationSeconds,
  };
}
