/**
 * The failure process of one replica (DESIGN §5 "Failures"): when does it next fail, and how
 * long until its hardware is back.
 *
 * Time to failure of a replica of G accelerators (and n nodes) is the minimum of its
 * components' times to failure:
 * - accelerators: G iid Weibull(k, λ) with λ chosen so each one's mean is the accelerator
 *   MTBF, λ = MTBF / Γ(1 + 1/k); their minimum is Weibull(k, λ·G^(−1/k)) (closed form, one
 *   uniform per draw). k = 1 (default) is the exponential with rate G/MTBF;
 * - nodes (optional): exponential with rate n / nodeMTBF (host, network, software).
 * After a repair the replica is treated as new (a renewal process): the next draw restarts
 * every component's clock, which is exact for k = 1 and an approximation for k ≠ 1.
 *
 * Repair times come from a `DistributionSpec` in hours, sampled by workload/sample.ts. Draws
 * use the stream passed in, in a fixed order (accelerator uniform, then node exponential), so
 * the same seed gives the same timeline.
 */
import type { DistributionSpec } from '../../core/distributions.js';
import type { RngStream } from '../../core/rng.js';
import { createSampler } from '../workload/sample.js';
import { minOfIidWeibullScale, weibullFromUniform, weibullScaleForMean } from './weibull.js';
import { requireArg } from '../../core/errors.js';

const SECONDS_PER_HOUR = 3600;

export interface FailureProcessOptions {
  /** Accelerators whose failure takes the replica down (G, an integer ≥ 1). */
  acceleratorsPerReplica: number;
  /** Mean time between failures of one accelerator, hours. */
  mtbfHours: number;
  /** Weibull shape k of each accelerator's time to failure; 1 (default) is exponential. */
  weibullShape?: number;
  /** Nodes the replica spans, for the host/network component (0 or absent: none). */
  nodesPerReplica?: number;
  /** Mean time between non-accelerator failures of one node, hours (exponential). */
  nodeMtbfHours?: number;
  /** Time until the replica's hardware is back in service, hours. */
  repairHours: DistributionSpec;
  /** The process's own named stream. */
  rng: RngStream;
}

export type FailureCause = 'accelerator' | 'node';

export interface FailureDraw {
  delaySeconds: number;
  cause: FailureCause;
}

export interface FailureProcess {
  /** Closed-form mean time to the next accelerator failure of the replica, hours: MTBF·G^(−1/k). */
  readonly acceleratorMeanTimeToFailureHours: number;
  /** Rate of node (non-accelerator) failures of the replica, per hour (0 when none). */
  readonly nodeFailureRatePerHour: number;
  /** Time from now (a fresh or just-repaired replica) to its next failure, and what failed. */
  nextFailure(): FailureDraw;
  /** Same as `nextFailure().delaySeconds`. */
  nextFailureDelaySeconds(): number;
  /** One repair time, seconds (≥ 0). */
  repairDelaySeconds(): number;
}

/**
 * Create a replica's failure process.
 * @throws AifError(E_INVALID_ARGUMENT) when G is not a positive integer, an MTBF is not > 0,
 *   the shape is not > 0, nodes are given without a node MTBF, or a repair draw is negative.
 * @example createFailureProcess({ acceleratorsPerReplica: 8, mtbfHours: 80000,
 *   repairHours: { dist: 'fixed', value: 4 }, rng }).acceleratorMeanTimeToFailureHours === 10000
 */
export function createFailureProcess(o: FailureProcessOptions): FailureProcess {
  const fn = 'createFailureProcess';
  const g = o.acceleratorsPerReplica;
  requireArg(
    Number.isInteger(g) && g >= 1,
    fn,
    `acceleratorsPerReplica must be an integer ≥ 1, got ${g}`,
  );
  requireArg(
    o.mtbfHours > 0 && Number.isFinite(o.mtbfHours),
    fn,
    `mtbfHours must be finite and > 0, got ${o.mtbfHours}`,
  );
  const shape = o.weibullShape ?? 1;
  requireArg(
    shape > 0 && Number.isFinite(shape),
    fn,
    `weibullShape must be finite and > 0, got ${shape}`,
  );
  const nodes = o.nodesPerReplica ?? 0;
  requireArg(
    Number.isInteger(nodes) && nodes >= 0,
    fn,
    `nodesPerReplica must be an integer ≥ 0, got ${nodes}`,
  );
  let nodeRatePerHour = 0;
  if (nodes > 0) {
    const m = o.nodeMtbfHours;
    requireArg(
      m !== undefined && m > 0,
      fn,
      `nodeMtbfHours must be > 0 when nodesPerReplica > 0, got ${m}`,
    );
    nodeRatePerHour = nodes / m;
  }

  const minScaleHours = minOfIidWeibullScale(weibullScaleForMean(o.mtbfHours, shape), shape, g);
  const rng = o.rng;
  const sampleRepairHours = createSampler(o.repairHours);

  const nextFailure = (): FailureDraw => {
    const acceleratorHours = weibullFromUniform(rng.next(), minScaleHours, shape);
    const nodeHours =
      nodeRatePerHour > 0 ? rng.nextExponential(nodeRatePerHour) : Number.POSITIVE_INFINITY;
    return nodeHours < acceleratorHours
      ? { delaySeconds: nodeHours * SECONDS_PER_HOUR, cause: 'node' }
      : { delaySeconds: acceleratorHours * SECONDS_PER_HOUR, cause: 'accelerator' };
  };

  return {
    acceleratorMeanTimeToFailureHours: o.mtbfHours * Math.pow(g, -1 / shape),
    nodeFailureRatePerHour: nodeRatePerHour,
    nextFailure,
    nextFailureDelaySeconds: () => nextFailure().delaySeconds,
    repairDelaySeconds: () => {
      const hours = sampleRepairHours(rng);
      requireArg(hours >= 0, fn, `repair time must be ≥ 0 hours, drew ${hours}`);
      return hours * SECONDS_PER_HOUR;
    },
  };
}
