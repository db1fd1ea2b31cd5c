/**
 * Accelerator power caps and the throughput they cost (DESIGN §6: "power caps on accelerators
 * trade throughput for power along a stated curve").
 *
 * The curve. Board power P = P_idle + D, where D is the dynamic part (perf/power.ts:
 * D = (TDP − P_idle)·load). Under a cap C < P the board lowers its clocks (DVFS) until it draws
 * C, i.e. its dynamic power falls to A = C − P_idle. Dynamic CMOS power is C_eff·V²·f, and V
 * falls with f in the DVFS range, so D ∝ f^α with α ≈ 3 for clock-bound work; the step time of
 * work that is only partly clock-bound (memory-bound decode, collectives) stretches less,
 * which shows up as a larger *effective* α. The stated curve is
 *
 *   throughput fraction = (A / D)^(1/α),   slowdown on step time = (D / A)^(1/α) ≥ 1,
 *
 * with no slowdown when C ≥ P (the cap does not bind). The cap acts on the board's average
 * power (NVIDIA's limiter averages over far longer than one engine iteration), so the load is
 * the iteration's time average and the capped board draws exactly C.
 *
 * Two curves (registry `POWER_CAP_CURVES`):
 * - `llm-inference` (default): α fitted to the one published LLM-inference power-cap point in
 *   the reference data (Samsi et al.: 250 W → 175 W, ≈ 6.5% more latency, 23% less energy),
 *   α ≈ 6.0;
 * - `dvfs-cubic`: α = 3 from dynamic power ∝ f·V² with V ∝ f — a conservative (larger-loss)
 *   curve for compute-bound work such as long prefills.
 */
import { ACCELERATORS } from '../../catalog/accelerators.js';
import { sourced, type Sourced, type SourceRef } from '../../core/source.js';
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';

export interface PowerCapCurve {
  readonly name: string;
  /** Effective exponent α: dynamic power above idle ∝ (throughput fraction)^α. */
  readonly exponent: number;
  readonly ref: SourceRef;
}

const SAMSI_REF: SourceRef = {
  source:
    'https://app.argminai.com/arxiv-dashboard/papers/2310.03003v1 (secondary summary of S. Samsi et al., "From Words to Watts: Benchmarking the Energy Costs of Large Language Model Inference", arXiv 2310.03003)',
  date: '2023-10',
  provenance: 'measured',
  note: 'LLaMA inference on V100/A100: capping 250 W → 175 W cut energy 23% for about 6–7% more latency. Secondary summary; read the paper for the exact setting.',
};

/** The published power-cap point the default curve is fitted to, copied with its source. */
export const SAMSI_POWER_CAP_POINT = {
  uncappedLimitWatts: sourced(250, SAMSI_REF),
  capWatts: sourced(175, SAMSI_REF),
  /** Latency with the cap ÷ without: 1.065 (the middle of "6–7%"). */
  latencyRatio: sourced(1.065, { ...SAMSI_REF, note: `${SAMSI_REF.note} 1.065 = middle of 6–7%.` }),
  /** Energy with the cap ÷ without: 1 − 0.23. */
  energyRatio: sourced(0.77, SAMSI_REF),
} as const;

export interface CapMeasurement {
  capWatts: number;
  idleWatts: number;
  /** Capped ÷ uncapped latency (> 1). */
  latencyRatio: number;
  /** Capped ÷ uncapped energy for the same work (< 1). */
  energyRatio: number;
}

/**
 * Effective exponent α from one capped-vs-uncapped measurement of the same work. Energy =
 * power × time, so the uncapped draw was P = C · latencyRatio / energyRatio, and
 * α = ln((P − P_idle)/(C − P_idle)) / ln(latencyRatio).
 * @throws AifError(E_INVALID_ARGUMENT) unless latencyRatio > 1 and P > C > P_idle.
 * @example exponentFromCapMeasurement({ capWatts: 175, idleWatts: 28.7, latencyRatio: 1.065,
 *   energyRatio: 0.77 }) ≈ 6.0
 */
export function exponentFromCapMeasurement(m: CapMeasurement): number {
  const naturalWatts = (m.capWatts * m.latencyRatio) / m.energyRatio;
  requireArg(
    m.latencyRatio > 1 && naturalWatts > m.capWatts && m.capWatts > m.idleWatts,
    'exponentFromCapMeasurement',
    `requires latencyRatio > 1 and uncapped draw > cap > idle, got draw ${naturalWatts} W, cap ${m.capWatts} W, idle ${m.idleWatts} W`,
  );
  return (
    Math.log((naturalWatts - m.idleWatts) / (m.capWatts - m.idleWatts)) / Math.log(m.latencyRatio)
  );
}

/**
 * Idle power as a share of TDP used for the fit: the catalog's NVIDIA idle fraction, which is
 * the H200 SXM's measured 80.3 W of 700 W (the V100/A100 idle draw of the measurement is not
 * in the reference data).
 */
function catalogIdleFraction(): Sourced {
  const h200 = ACCELERATORS.find((a) => a.id === 'h200-sxm');
  if (!h200) throw new Error('power-cap: catalog accelerator h200-sxm not found');
  return sourced(h200.idleWatts.value / h200.tdpWatts.value, {
    ...h200.idleWatts.ref,
    provenance: 'assumption',
    note: 'Assumption: the measured board idled at the H200 SXM idle/TDP fraction (80.3/700).',
  });
}

/** The idle fraction the `llm-inference` curve's fit assumes. */
export const FIT_IDLE_FRACTION: Sourced = catalogIdleFraction();

const SAMSI_EXPONENT = exponentFromCapMeasurement({
  capWatts: SAMSI_POWER_CAP_POINT.capWatts.value,
  idleWatts: FIT_IDLE_FRACTION.value * SAMSI_POWER_CAP_POINT.uncappedLimitWatts.value,
  latencyRatio: SAMSI_POWER_CAP_POINT.latencyRatio.value,
  energyRatio: SAMSI_POWER_CAP_POINT.energyRatio.value,
});

export const POWER_CAP_CURVES = {
  'llm-inference': {
    name: 'llm-inference',
    exponent: SAMSI_EXPONENT,
    ref: {
      source: SAMSI_REF.source,
      date: SAMSI_REF.date,
      provenance: 'derived',
      note: `α = ${SAMSI_EXPONENT.toFixed(2)} fitted to one point: cap 175 W of 250 W, latency ×1.065, energy ×0.77 ⇒ uncapped draw 175·1.065/0.77 ≈ 242 W; idle assumed 250 × 80.3/700 ≈ 28.7 W (catalog NVIDIA idle fraction). One secondary-sourced point on older GPUs: replace with a measured cap sweep of the target accelerator when one exists.`,
    },
  },
  'dvfs-cubic': {
    name: 'dvfs-cubic',
    exponent: 3,
    ref: {
      source:
        'CMOS dynamic power P = C·V²·f (e.g. Weste & Harris, "CMOS VLSI Design") with V roughly ∝ f in the DVFS range',
      provenance: 'assumption',
      note: 'Assumption: all dynamic power and all step time scale with the clock — an upper bound on the loss for compute-bound work; memory-bound work loses less.',
    },
  },
} as const satisfies Record<string, PowerCapCurve>;

export type PowerCapCurveName = keyof typeof POWER_CAP_CURVES;

export const DEFAULT_POWER_CAP_CURVE: PowerCapCurve = POWER_CAP_CURVES['llm-inference'];

/**
 * A provisioning reference point, not a default: Meta provisions GB200 at 960 W of 1,200 W TDP
 * (80%), near its performance-per-watt optimum.
 */
export const META_GB200_PROVISIONED_CAP_FRACTION: Sourced = sourced(960 / 1200, {
  source:
    'https://www.supercomputing.news/ai/meta-100mw-ai-supercomputer-gb200-power-management (summary of arXiv 2605.24461)',
  date: '2026-05',
  provenance: 'third-party',
  note: '960 W provisioned per GPU = 80% of 1,200 W TDP; perf/W optimum near 1,000 W.',
});

export interface PowerCapInput {
  /** Cap ÷ TDP; ≥ 1 leaves the board uncapped. Must exceed `idleFraction`. */
  capFraction: number;
  /** Dynamic-range load at full speed, 0..1 (perf/power.ts `activityLoad`). */
  activityLoad: number;
  /** Idle power ÷ TDP, in [0, 1). */
  idleFraction: number;
  /** Default `DEFAULT_POWER_CAP_CURVE`. */
  curve?: PowerCapCurve;
}

export interface PowerCapResult {
  /** Multiplier on step time, ≥ 1. */
  slowdownFactor: number;
  /** 1 / slowdownFactor. */
  throughputFraction: number;
  /** Board power drawn under the cap ÷ TDP. */
  powerFraction: number;
  /** Board power it would draw uncapped ÷ TDP. */
  naturalPowerFraction: number;
  /** The drawn power as a perf/power.ts load: (power − idle)/(TDP − idle). */
  cappedLoad: number;
  /** Whether the cap binds. */
  capped: boolean;
}

/**
 * Slowdown and drawn power of a board under a cap, along the stated curve:
 * natural = i + (1 − i)·load; if cap ≥ natural: no slowdown; else
 * slowdown = ((natural − i) / (cap − i))^(1/α) and the board draws the cap.
 * O(1).
 * @throws AifError(E_INVALID_ARGUMENT) unless 0 ≤ idleFraction < 1, 0 ≤ activityLoad ≤ 1 and
 *   capFraction > idleFraction (a cap at or below idle power cannot be met).
 * @example powerCapSlowdown({ capFraction: 0.5, activityLoad: 1, idleFraction: 0,
 *   curve: POWER_CAP_CURVES['dvfs-cubic'] }).slowdownFactor === 2 ** (1 / 3)
 */
export function powerCapSlowdown(input: PowerCapInput): PowerCapResult {
  const { capFraction, activityLoad, idleFraction } = input;
  const curve = input.curve ?? DEFAULT_POWER_CAP_CURVE;
  // Called per distinct iteration shape under a cap: messages are built only on failure.
  if (!(idleFraction >= 0 && idleFraction < 1))
    invalidArgument('powerCapSlowdown', `idleFraction must be in [0, 1), got ${idleFraction}`);
  if (!(activityLoad >= 0 && activityLoad <= 1))
    invalidArgument('powerCapSlowdown', `activityLoad must be in [0, 1], got ${activityLoad}`);
  if (!(capFraction > idleFraction))
    invalidArgument(
      'powerCapSlowdown',
      `capFraction must exceed idleFraction ${idleFraction}, got ${capFraction}`,
    );
  if (!(curve.exponent > 0))
    invalidArgument('powerCapSlowdown', `curve exponent must be > 0, got ${curve.exponent}`);
  const dynamic = (1 - idleFraction) * activityLoad;
  const natural = idleFraction + dynamic;
  if (capFraction >= natural)
    return {
      slowdownFactor: 1,
      throughputFraction: 1,
      powerFraction: natural,
      naturalPowerFraction: natural,
      cappedLoad: activityLoad,
      capped: false,
    };
  const allowed = capFraction - idleFraction;
  const slowdownFactor = Math.pow(dynamic / allowed, 1 / curve.exponent);
  return {
    slowdownFactor,
    throughputFraction: 1 / slowdownFactor,
    powerFraction: capFraction,
    naturalPowerFraction: natural,
    cappedLoad: allowed / (1 - idleFraction),
    capped: true,
  };
}

/**
 * The inverse: the cap (÷ TDP) at which a board of the given load keeps `throughputFraction`
 * of its speed: i + (1 − i)·load·φ^α. For φ = 1 it is the natural draw (the cap just binds).
 * @throws AifError(E_INVALID_ARGUMENT) unless 0 < throughputFraction ≤ 1.
 */
export function capFractionForThroughput(
  throughputFraction: number,
  input: Omit<PowerCapInput, 'capFraction'>,
): number {
  requireArg(
    throughputFraction > 0 && throughputFraction <= 1,
    'capFractionForThroughput',
    `throughputFraction must be in (0, 1], got ${throughputFraction}`,
  );
  const curve = input.curve ?? DEFAULT_POWER_CAP_CURVE;
  return (
    input.idleFraction +
    (1 - input.idleFraction) * input.activityLoad * Math.pow(throughputFraction, curve.exponent)
  );
}
