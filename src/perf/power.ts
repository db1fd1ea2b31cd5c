/**
 * Power as a function of activity (DESIGN §4, §6) and tokens per joule at named boundaries.
 *
 * Accelerator board power: P = P_idle + (TDP − P_idle) · min(1, w_c·u_c + w_m·u_m), where u_c is
 * the achieved share of peak tensor FLOP/s and u_m the achieved share of peak memory bandwidth,
 * time-averaged. Weights from published draw: Splitwise (arXiv 2311.18677) measured H100
 * prefill at ~700 W (TDP) and decode at ~380 W with 75 W idle; decode runs near full memory
 * bandwidth, so w_m ≈ (380 − 75)/(700 − 75)/0.8 ≈ 0.6; prefill at ~65% MFU reaches TDP, so
 * w_c ≈ 1.5. H200 decode draws 137–300 W of 700 W (arXiv 2605.11999) — consistent with w_m·u_m
 * below 0.4 at small batch. Assumptions, validated against ML.ENERGY by `validate mlenergy`.
 */
import type { Boundary } from '../core/basis.js';
import type { System } from '../catalog/types.js';
import type { PreparedDeployment } from './costs.js';

export const POWER_MODEL = {
  computeWeight: 1.5,
  memoryWeight: 0.6,
  source:
    'assumption from Splitwise (arXiv 2311.18677: H100 prefill ~700 W, decode ~380 W, idle 75 W) and arXiv 2605.11999 (H200 decode 137–300 W)',
} as const;

export interface Activity {
  /** Time-averaged share of peak tensor FLOP/s (at the GEMM rate), 0..1. */
  computeUtilization: number;
  /** Time-averaged share of peak memory bandwidth, 0..1. */
  memoryUtilization: number;
}

/** Board power of one accelerator at the given activity, watts (capped at TDP). */
export function acceleratorPowerWatts(p: PreparedDeployment, a: Activity): number {
  const acc = p.deployment.accelerator;
  const idle = acc.idleWatts.value;
  const tdp = acc.tdpWatts.value;
  const load = Math.min(
    1,
    POWER_MODEL.computeWeight * a.computeUtilization +
      POWER_MODEL.memoryWeight * a.memoryUtilization,
  );
  return idle + (tdp - idle) * Math.max(0, load);
}

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
