/**
 * Power as a function of activity (DESIGN §4, §6) and tokens per joule at named boundaries.
 *
 * Accelerator board power: P = P_idle + (TDP − P_idle) · min(1, w_c·s_c + w_m·s_m + w_o·s_o),
 * where s_c, s_m, s_o are the shares of wall time the GPU spends in compute-bound kernels,
 * memory-bound kernels and other device work (collectives, launch gaps), from the per-class
 * rooflines of each iteration. Weights from published draw: Splitwise (arXiv 2311.18677)
 * measured H100 prefill (compute-bound) at ~700 W = TDP → w_c = 1, and decode (memory-bound)
 * at ~380 W with 75 W idle → w_m = (380 − 75)/(700 − 75) ≈ 0.5; w_o = 0.3 is an assumption
 * (SMs mostly waiting on links or launches). Time the GPU idles (host-bound iterations,
 * unloaded replicas) draws idle power. Validated against ML.ENERGY by `validate mlenergy`.
 */
import type { Boundary } from '../core/basis.js';
import type { System } from '../catalog/types.js';
import type { PreparedDeployment } from './costs.js';

export const POWER_MODEL = {
  computeBoundWeight: 1,
  memoryBoundWeight: 0.5,
  otherBusyWeight: 0.3,
  source:
    'Splitwise (arXiv 2311.18677: H100 prefill ~700 W, decode ~380 W, idle 75 W); 0.3 for collectives/launch gaps is an assumption',
} as const;

export interface Activity {
  /** Share of wall time in compute-bound kernels (0..1). */
  computeBoundShare: number;
  /** Share of wall time in memory-bound kernels (0..1). */
  memoryBoundShare: number;
  /** Share of wall time in other device work: collectives, launch floors (0..1). */
  otherBusyShare: number;
}

/** Dynamic-range load of an accelerator at the given activity, 0..1. */
export function activityLoad(a: Activity): number {
  const w = POWER_MODEL;
  return Math.max(
    0,
    Math.min(
      1,
      w.computeBoundWeight * a.computeBoundShare +
        w.memoryBoundWeight * a.memoryBoundShare +
        w.otherBusyWeight * a.otherBusyShare,
    ),
  );
}

/** Board power of one accelerator at the given activity, watts (capped at TDP). */
export function acceleratorPowerWatts(p: PreparedDeployment, a: Activity): number {
  const acc = p.deployment.accelerator;
  const idle = acc.idleWatts.value;
  const tdp = acc.tdpWatts.value;
  return idle + (tdp - idle) * activityLoad(a);
}

/** Activity scaled to a fraction of the time (a replica carrying part of its capacity). */
export const scaleActivity = (a: Activity, fraction: number): Activity => ({
  computeBoundShare: a.computeBoundShare * fraction,
  memoryBoundShare: a.memoryBoundShare * fraction,
  otherBusyShare: a.otherBusyShare * fraction,
});

export interface PowerAtBoundaries {
  /** Σ accelerator board power of the replica, watts. */
  chipWatts: number;
  /** Replica's share of its systems' IT power (accelerators + host + network), watts. */
  nodeWatts: number;
  /** Node power × PUE, watts. */
  facilityWatts: number;
  pue: number;
}

/**
 * Power of one replica at each boundary. Host and network power scale with the replica's
 * share of the system's accelerators; host power moves between idle and full with the
 * accelerators' load fraction (a linear host model, as CloudSim's).
 */
export function replicaPower(
  p: PreparedDeployment,
  a: Activity,
  system: System | undefined,
  pue: number,
): PowerAtBoundaries {
  const perGpu = acceleratorPowerWatts(p, a);
  const gpus = p.gpusPerReplica;
  const chipWatts = perGpu * gpus;
  let nodeWatts = chipWatts;
  if (system) {
    const share = gpus / system.acceleratorCount;
    const acc = p.deployment.accelerator;
    const load =
      (perGpu - acc.idleWatts.value) / Math.max(1, acc.tdpWatts.value - acc.idleWatts.value);
    const host =
      system.hostIdlePowerWatts.value +
      (system.hostPowerWatts.value - system.hostIdlePowerWatts.value) * load;
    nodeWatts += (host + system.networkPowerWatts.value) * share;
  }
  return { chipWatts, nodeWatts, facilityWatts: nodeWatts * pue, pue };
}

export interface EnergyMetric {
  boundary: Boundary;
  watts: number;
  /** Output tokens per joule = output tok/s ÷ W. */
  tokensPerJoule: number;
  joulesPerToken: number;
}

/** Tokens per joule at chip, node and facility boundaries (DESIGN §3), always labelled. */
export function tokensPerJoule(
  outputTokensPerSecond: number,
  power: PowerAtBoundaries,
): EnergyMetric[] {
  const rows: [Boundary, number][] = [
    ['chip', power.chipWatts],
    ['node', power.nodeWatts],
    ['facility', power.facilityWatts],
  ];
  return rows.map(([boundary, watts]) => ({
    boundary,
    watts,
    tokensPerJoule: outputTokensPerSecond / watts,
    joulesPerToken: watts / outputTokensPerSecond,
  }));
}

/** Output tok/s per MW at the facility boundary, provisioned (nameplate) or drawn. */
export function tokensPerMegawatt(outputTokensPerSecond: number, facilityWatts: number): number {
  return outputTokensPerSecond / (facilityWatts / 1e6);
}
