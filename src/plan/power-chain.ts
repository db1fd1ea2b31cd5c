/**
 * The power chain of one system (DESIGN §6), as *provisioned* power in watts:
 *
 *   accelerators   A = n · TDP · f                       (f: policy provision fraction)
 *   + host         H = catalog hostPowerWatts            (CPUs, memory, NICs, storage, fans)
 *   + network      S = catalog networkPowerWatts         (in-rack + scale-out switch share)
 *   = components   C = A + H + S
 *   conversion     P = C / Π ηₖ                          (in-rack stages; default none)
 *   budget         B = P / r                             (r: oversubscription ratio)
 *   facility       F = B · PUE_dd                        (power-chain-fit.ts, per site)
 *
 * B is what each system counts against the site's usable IT power and rack density. When a
 * system is budgeted below what it can draw (f < 1 or r > 1) its accelerators are capped:
 * with everything flat out, the uniform per-GPU cap is (B·Πη − H − S) / n, and the throughput
 * kept follows the policy's cap curve (power-chain-cap.ts). Host and network are not capped.
 */
import type { Accelerator, System } from '../catalog/types.js';
import { requireArg } from '../core/errors.js';
import { cappedThroughputFraction } from './power-chain-cap.js';
import type { ProvisioningPolicy } from './power-chain-policy.js';

export interface SystemPowerChain {
  systemId: string;
  policy: string;
  acceleratorCount: number;
  /** n · TDP, W. */
  acceleratorsNameplateW: number;
  /** A = n · TDP · f, W. */
  acceleratorsW: number;
  /** H, W. */
  hostW: number;
  /** S, W. */
  networkW: number;
  /** C = A + H + S, W. */
  componentsW: number;
  /** Π ηₖ (1 with no stages). */
  conversionEfficiency: number;
  /** P − C, W. */
  conversionLossW: number;
  /** P = C / Πη, W: provisioned power at the rack input before oversubscription. */
  provisionedW: number;
  /** r. */
  oversubscriptionRatio: number;
  /** B = P / r, W: what the system counts against the envelope and the rack. */
  budgetW: number;
  /** Per-GPU cap when every accelerator runs flat out within B, W. */
  worstCaseGpuCapW: number;
  /** Throughput kept at that cap, 0–1 (1 = the budget never binds). */
  worstCaseThroughputFraction: number;
  /** What the figures are: provisioned, at the rack (IT) boundary. */
  powerKind: 'provisioned';
  boundary: 'rack';
}

export interface SystemPowerChainInput {
  system: System;
  accelerator: Accelerator;
  policy: ProvisioningPolicy;
}

function checkPolicy(fn: string, p: ProvisioningPolicy): number {
  const f = p.gpuProvisionFraction.value;
  const r = p.oversubscriptionRatio.value;
  requireArg(
    f > 0 && f <= 1,
    fn,
    `policy '${p.name}': gpuProvisionFraction must be in (0, 1], got ${f}`,
  );
  requireArg(r >= 1, fn, `policy '${p.name}': oversubscriptionRatio must be ≥ 1, got ${r}`);
  let eta = 1;
  for (const s of p.conversionStages) {
    const e = s.efficiency.value;
    requireArg(
      e > 0 && e <= 1,
      fn,
      `policy '${p.name}': stage '${s.name}' efficiency must be in (0, 1], got ${e}`,
    );
    eta *= e;
  }
  return eta;
}

/**
 * The provisioned power chain of one system under a policy. O(stages).
 * @throws AifError(E_INVALID_ARGUMENT) when the accelerator is not the system's, the policy is
 *   out of range, or the budget cannot cover host + network + idle accelerators.
 * @example systemPowerChain({ system: hgx-h100-8gpu, accelerator: h100-sxm, policy: nameplate })
 *   .budgetW === 8 × 700 + 4,600 + 912 = 11,112
 */
export function systemPowerChain(input: SystemPowerChainInput): SystemPowerChain {
  const { system, accelerator, policy } = input;
  const fn = 'systemPowerChain';
  requireArg(
    system.acceleratorId === accelerator.id,
    fn,
    `system '${system.id}' holds '${system.acceleratorId}', not '${accelerator.id}'`,
  );
  const eta = checkPolicy(fn, policy);
  const n = system.acceleratorCount;
  const tdp = accelerator.tdpWatts.value;
  const idle = accelerator.idleWatts.value;
  const f = policy.gpuProvisionFraction.value;
  const r = policy.oversubscriptionRatio.value;
  const acceleratorsW = n * tdp * f;
  const hostW = system.hostPowerWatts.value;
  const networkW = system.networkPowerWatts.value;
  const componentsW = acceleratorsW + hostW + networkW;
  const provisionedW = componentsW / eta;
  const budgetW = provisionedW / r;
  const worstCaseGpuCapW = (budgetW * eta - hostW - networkW) / n;
  requireArg(
    worstCaseGpuCapW > idle,
    fn,
    `policy '${policy.name}' leaves ${worstCaseGpuCapW.toFixed(1)} W per accelerator on '${system.id}', not above its ${idle} W idle: lower the oversubscription`,
  );
  const worstCaseThroughputFraction = cappedThroughputFraction({
    capFraction: Math.min(1, worstCaseGpuCapW / tdp),
    activityLoad: 1,
    idleFraction: idle / tdp,
    curve: policy.capCurve,
  });
  return {
    systemId: system.id,
    policy: policy.name,
    acceleratorCount: n,
    acceleratorsNameplateW: n * tdp,
    acceleratorsW,
    hostW,
    networkW,
    componentsW,
    conversionEfficiency: eta,
    conversionLossW: provisionedW - componentsW,
    provisionedW,
    oversubscriptionRatio: r,
    budgetW,
    worstCaseGpuCapW,
    worstCaseThroughputFraction,
    powerKind: 'provisioned',
    boundary: 'rack',
  };
}

/**
 * Throughput kept by a system's accelerators at a given activity load (perf/power.ts
 * `activityLoad`, 0–1) when all run at that load at once within the budget: the per-GPU cap is
 * as in the worst case and binds only when the natural draw exceeds it.
 * @example with the nameplate policy the result is 1 at every load.
 */
export function chainThroughputFractionAt(input: {
  chain: SystemPowerChain;
  accelerator: Accelerator;
  policy: ProvisioningPolicy;
  activityLoad: number;
}): number {
  const { chain, accelerator, policy, activityLoad } = input;
  const tdp = accelerator.tdpWatts.value;
  return cappedThroughputFraction({
    capFraction: Math.min(1, chain.worstCaseGpuCapW / tdp),
    activityLoad,
    idleFraction: accelerator.idleWatts.value / tdp,
    curve: policy.capCurve,
  });
}
