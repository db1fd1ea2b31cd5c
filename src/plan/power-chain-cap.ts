/**
 * The power-cap curve the planner uses to price oversubscription and sub-TDP provisioning in
 * throughput (DESIGN §6: "power caps on accelerators trade throughput for power along a
 * stated curve").
 *
 * This restates, with the same sources and numbers, the curve of sim/power/power-cap.ts (the
 * serving twin's), because `plan` may not import `sim` (docs/layers.md); a test pins the two
 * to the same exponent. perf/power.ts has no cap curve.
 *
 *   natural draw n = i + (1 − i)·load        (fractions of TDP; i = idle ÷ TDP)
 *   cap c ≥ n:  throughput fraction 1
 *   cap c < n:  throughput fraction = ((c − i) / (n − i))^(1/α)
 *
 * α is the effective exponent of dynamic power in clock speed. `llm-inference` (default):
 * α ≈ 6.0, fitted to Samsi et al. (cap 250 W → 175 W: latency ×1.065, energy ×0.77) with the
 * catalog H200's idle fraction (80.3 W / 700 W) as the board's idle; `dvfs-cubic`: α = 3,
 * the conservative compute-bound bound (P ∝ f·V², V ∝ f).
 */
import { ACCELERATORS } from '../catalog/accelerators.js';
import { requireArg } from '../core/errors.js';
import type { SourceRef } from '../core/source.js';

export interface CapCurve {
  readonly name: string;
  /** α: dynamic power above idle ∝ (throughput fraction)^α. */
  readonly exponent: number;
  readonly ref: SourceRef;
}

const SAMSI = {
  capWatts: 175,
  uncappedLimitWatts: 250,
  latencyRatio: 1.065,
  energyRatio: 0.77,
  source:
    'https://app.argminai.com/arxiv-dashboard/papers/2310.03003v1 (secondary summary of S. Samsi et al., arXiv 2310.03003)',
  date: '2023-10',
} as const;

function h200IdleFraction(): number {
  const h200 = ACCELERATORS.find((a) => a.id === 'h200-sxm');
  requireArg(h200 !== undefined, 'power-chain-cap', 'catalog accelerator h200-sxm not found');
  return h200.idleWatts.value / h200.tdpWatts.value;
}

/** α = ln((P − P_idle)/(C − P_idle)) / ln(latency ratio), P = C·latency/energy ratio. */
function samsiExponent(): number {
  const idle = h200IdleFraction() * SAMSI.uncappedLimitWatts;
  const natural = (SAMSI.capWatts * SAMSI.latencyRatio) / SAMSI.energyRatio;
  return Math.log((natural - idle) / (SAMSI.capWatts - idle)) / Math.log(SAMSI.latencyRatio);
}

const ALPHA = samsiExponent();

/** Cap curves by name (a typed registry; choose by key). */
export const CAP_CURVES = {
  'llm-inference': {
    name: 'llm-inference',
    exponent: ALPHA,
    ref: {
      source: SAMSI.source,
      date: SAMSI.date,
      provenance: 'derived',
      note: `α = ${ALPHA.toFixed(2)} from one point: cap 175 W of 250 W, latency ×1.065, energy ×0.77; idle 250 × 80.3/700 W (catalog H200 idle fraction). Same curve as sim/power/power-cap.ts.`,
    },
  },
  'dvfs-cubic': {
    name: 'dvfs-cubic',
    exponent: 3,
    ref: {
      source: 'CMOS dynamic power P = C·V²·f with V roughly ∝ f in the DVFS range',
      provenance: 'assumption',
      note: 'upper bound on the loss for compute-bound work',
    },
  },
} as const satisfies Record<string, CapCurve>;

export type CapCurveName = keyof typeof CAP_CURVES;

export interface CapInput {
  /** Cap ÷ TDP. */
  capFraction: number;
  /** Dynamic-range load the board would run at uncapped, 0..1 (perf/power.ts `activityLoad`). */
  activityLoad: number;
  /** Idle ÷ TDP, in [0, 1). */
  idleFraction: number;
  curve: CapCurve;
}

/**
 * Throughput kept under a cap: 1 when the cap does not bind, else ((c − i)/(n − i))^(1/α).
 * O(1).
 * @throws AifError(E_INVALID_ARGUMENT) unless 0 ≤ i < 1, 0 ≤ load ≤ 1, c > i and α > 0.
 * @example cappedThroughputFraction({ capFraction: 0.5, activityLoad: 1, idleFraction: 0,
 *   curve: CAP_CURVES['dvfs-cubic'] }) === 0.5 ** (1 / 3)
 */
export function cappedThroughputFraction(input: CapInput): number {
  const { capFraction: c, activityLoad: load, idleFraction: i, curve } = input;
  requireArg(
    i >= 0 && i < 1,
    'cappedThroughputFraction',
    `idleFraction must be in [0, 1), got ${i}`,
  );
  requireArg(
    load >= 0 && load <= 1,
    'cappedThroughputFraction',
    `activityLoad must be in [0, 1], got ${load}`,
  );
  requireArg(c > i, 'cappedThroughputFraction', `capFraction ${c} must exceed idleFraction ${i}`);
  requireArg(curve.exponent > 0, 'cappedThroughputFraction', `curve exponent must be > 0`);
  const natural = i + (1 - i) * load;
  if (c >= natural) return 1;
  return Math.pow((c - i) / (natural - i), 1 / curve.exponent);
}
