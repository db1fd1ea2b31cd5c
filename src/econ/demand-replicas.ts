/**
 * Demand in tokens per second → replicas needed, through the capacity of one replica at the
 * SLO (the serving twin or `estimate` supplies it: the highest rate a replica sustains while
 * meeting the workload's latency targets).
 *
 *   replicas(h) = demandTokensPerSecond(h) / capacityTokensPerSecondPerReplica
 *
 * Fractional on purpose: the build-vs-rent model prices replica-hours, and a fraction of a
 * replica over an hour stands for rented replica-hours averaged over a load block. Owned
 * capacity is bought in whole replicas. Units: tokens/s ÷ (tokens/s per replica) = replicas.
 */
import { requireArg } from '../core/errors.js';

export function replicasForDemand(
  demandTokensPerSecond: readonly number[],
  capacityTokensPerSecondPerReplica: number,
): number[] {
  requireArg(
    Number.isFinite(capacityTokensPerSecondPerReplica) && capacityTokensPerSecondPerReplica > 0,
    'replicasForDemand',
    'capacityTokensPerSecondPerReplica must be a finite number > 0',
  );
  return demandTokensPerSecond.map((d) => d / capacityTokensPerSecondPerReplica);
}
