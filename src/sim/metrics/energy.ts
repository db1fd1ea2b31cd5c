/**
 * Energy of a simulated run, integrated exactly (DESIGN §5 "energy is integrated exactly over
 * time"), and tokens per joule at named boundaries (DESIGN §3 — never unlabeled).
 *
 * Power P(t) is piecewise constant: it holds the value of the last `setPowerWatts` call. Energy
 *   E(t₀, t₁) = ∫_{t₀}^{t₁} P(t) dt = Σ_i P_i · |[a_i, b_i) ∩ [t₀, t₁)|   (joules = W · s)
 * is a sum of rectangles, accumulated with compensated summation; no sampling error.
 *
 * Windows: the meter keeps one running total, O(1) memory. E(t) from the start is available
 * for any t at or after the last power change (the current power extends forward), and at
 * every time named in `checkpointsSeconds` (e.g. the warm-up end and the run end), whose totals
 * are captured as the meter passes them. `energyBetweenJoules(a, b)` = E(b) − E(a).
 */
import type { Boundary } from '../../core/basis.js';
import { requireArg } from '../../core/errors.js';
import { invalidArgument } from '../invalid.js';
import { CompensatedSum } from './compensated-sum.js';

export interface EnergyMeterOptions {
  /** Time the integral starts from (default 0). */
  startSeconds?: number;
  /** Power from `startSeconds` until the first `setPowerWatts` (default 0 W). */
  initialPowerWatts?: number;
  /** Times at which the running total is kept for later window queries. */
  checkpointsSeconds?: readonly number[];
}

export class EnergyMeter {
  readonly startSeconds: number;
  private currentWatts: number;
  private lastSeconds: number;
  private readonly totalJoules = new CompensatedSum();
  /** Checkpoints not yet passed, ascending. */
  private readonly pending: number[];
  private readonly captured = new Map<number, number>();

  /** @throws AifError E_INVALID_ARGUMENT for non-finite times or a negative/non-finite power. */
  constructor(options: EnergyMeterOptions = {}) {
    const { startSeconds = 0, initialPowerWatts = 0, checkpointsSeconds = [] } = options;
    requireArg(Number.isFinite(startSeconds), 'EnergyMeter', 'startSeconds must be finite');
    checkWatts('EnergyMeter', initialPowerWatts);
    for (const c of checkpointsSeconds)
      requireArg(
        Number.isFinite(c) && c >= startSeconds,
        'EnergyMeter',
        `checkpoints must be finite and ≥ startSeconds (${startSeconds}), got ${c}`,
      );
    this.startSeconds = startSeconds;
    this.currentWatts = initialPowerWatts;
    this.lastSeconds = startSeconds;
    this.pending = [...new Set(checkpointsSeconds)].sort((a, b) => a - b);
    this.captured.set(startSeconds, 0);
  }

  /** Power now, watts. */
  get powerWatts(): number {
    return this.currentWatts;
  }

  /**
   * From `nowSeconds` on, the power is `watts`.
   * @throws AifError E_INVALID_ARGUMENT when time runs backwards or the power is negative.
   */
  setPowerWatts(watts: number, nowSeconds: number): void {
    const fn = 'EnergyMeter.setPowerWatts';
    checkWatts(fn, watts);
    if (!(Number.isFinite(nowSeconds) && nowSeconds >= this.lastSeconds))
      invalidArgument(
        fn,
        `nowSeconds must be finite and ≥ the last change (${this.lastSeconds}), got ${nowSeconds}`,
      );
    while (this.pending.length > 0 && this.pending[0]! <= nowSeconds) {
      const c = this.pending.shift()!;
      this.captured.set(c, this.runningJoules(c));
    }
    this.totalJoules.add(this.currentWatts * (nowSeconds - this.lastSeconds));
    this.currentWatts = watts;
    this.lastSeconds = nowSeconds;
  }

  /** E(t) for t ≥ the last change: the running total plus the current power extended to t. */
  private runningJoules(t: number): number {
    return new CompensatedSum()
      .addSum(this.totalJoules)
      .add(this.currentWatts * (t - this.lastSeconds)).value;
  }

  /**
   * Energy from `startSeconds` to `untilSeconds`, joules.
   * @throws AifError E_INVALID_ARGUMENT when `untilSeconds` precedes the last power change and
   * is neither the start nor a checkpoint (its total was not kept).
   */
  energyJoules(untilSeconds: number): number {
    requireArg(
      Number.isFinite(untilSeconds),
      'EnergyMeter.energyJoules',
      `untilSeconds must be finite, got ${untilSeconds}`,
    );
    if (untilSeconds >= this.lastSeconds) return this.runningJoules(untilSeconds);
    const kept = this.captured.get(untilSeconds);
    requireArg(
      kept !== undefined,
      'EnergyMeter.energyJoules',
      `${untilSeconds} s precedes the last power change (${this.lastSeconds} s) and is not a checkpoint`,
    );
    return kept;
  }

  /** Energy in [fromSeconds, toSeconds], joules (fromSeconds ≤ toSeconds). */
  energyBetweenJoules(fromSeconds: number, toSeconds: number): number {
    requireArg(
      fromSeconds <= toSeconds,
      'EnergyMeter.energyBetweenJoules',
      `fromSeconds (${fromSeconds}) must be ≤ toSeconds (${toSeconds})`,
    );
    return this.energyJoules(toSeconds) - this.energyJoules(fromSeconds);
  }

  /** Mean power over [fromSeconds, toSeconds] (from < to), watts = joules ÷ seconds. */
  meanPowerWatts(fromSeconds: number, toSeconds: number): number {
    requireArg(
      fromSeconds < toSeconds,
      'EnergyMeter.meanPowerWatts',
      `fromSeconds (${fromSeconds}) must be < toSeconds (${toSeconds})`,
    );
    return this.energyBetweenJoules(fromSeconds, toSeconds) / (toSeconds - fromSeconds);
  }
}

/** Called on every power change: the message is built only on failure. */
function checkWatts(fn: string, watts: number): void {
  if (!(Number.isFinite(watts) && watts >= 0))
    invalidArgument(fn, `power must be finite and ≥ 0 W, got ${watts}`);
}

/** Energy at one named accounting boundary. */
export interface BoundaryEnergy {
  boundary: Boundary;
  energyJoules: number;
}

/**
 * Facility energy from IT energy: E_facility = E_IT · PUE + P_overhead · T (DESIGN §3, §6:
 * "IT × PUE + facility overheads"), joules. PUE (power usage effectiveness, The Green Grid
 * WP #49) is dimensionless, ≥ 1; `overheadWatts` is fixed facility load outside the PUE
 * (default 0) drawn for `durationSeconds`.
 * @example facilityEnergyJoules({ itEnergyJoules: 1000, pue: 1.25 }) // 1250
 */
export function facilityEnergyJoules(options: {
  itEnergyJoules: number;
  pue: number;
  overheadWatts?: number;
  durationSeconds?: number;
}): number {
  const { itEnergyJoules, pue, overheadWatts = 0, durationSeconds = 0 } = options;
  const fn = 'facilityEnergyJoules';
  requireArg(Number.isFinite(pue) && pue >= 1, fn, `pue must be ≥ 1, got ${pue}`);
  requireArg(itEnergyJoules >= 0, fn, `itEnergyJoules must be ≥ 0, got ${itEnergyJoules}`);
  requireArg(
    overheadWatts >= 0 && durationSeconds >= 0,
    fn,
    'overheadWatts and durationSeconds must be ≥ 0',
  );
  return itEnergyJoules * pue + overheadWatts * durationSeconds;
}

/**
 * Energy at the chip, node and facility boundaries: chip = Σ accelerator board energy; node =
 * IT energy of the systems (accelerators + host + network); facility = node · PUE + overheads.
 * @example energyAtBoundaries({ chipEnergyJoules: 700, nodeEnergyJoules: 1000, pue: 1.2 })
 * // [{chip, 700}, {node, 1000}, {facility, 1200}]
 */
export function energyAtBoundaries(options: {
  chipEnergyJoules: number;
  nodeEnergyJoules: number;
  pue: number;
  facilityOverheadWatts?: number;
  durationSeconds?: number;
}): BoundaryEnergy[] {
  const { chipEnergyJoules, nodeEnergyJoules, pue } = options;
  requireArg(
    chipEnergyJoules >= 0 && nodeEnergyJoules >= chipEnergyJoules,
    'energyAtBoundaries',
    `need 0 ≤ chip (${chipEnergyJoules} J) ≤ node (${nodeEnergyJoules} J)`,
  );
  return [
    { boundary: 'chip', energyJoules: chipEnergyJoules },
    { boundary: 'node', energyJoules: nodeEnergyJoules },
    {
      boundary: 'facility',
      energyJoules: facilityEnergyJoules({
        itEnergyJoules: nodeEnergyJoules,
        pue,
        ...(options.facilityOverheadWatts === undefined
          ? {}
          : { overheadWatts: options.facilityOverheadWatts }),
        ...(options.durationSeconds === undefined
          ? {}
          : { durationSeconds: options.durationSeconds }),
      }),
    },
  ];
}

/** Tokens per joule over a window, labelled with its boundary. */
export interface TokensPerJouleAtBoundary {
  boundary: Boundary;
  energyJoules: number;
  windowSeconds: number;
  /** energyJoules ÷ windowSeconds, watts. */
  meanPowerWatts: number;
  outputTokens: number;
  /** outputTokens ÷ energyJoules = (output tok/s) ÷ W. */
  tokensPerJoule: number;
  /** energyJoules ÷ outputTokens; null when no token was produced. */
  joulesPerToken: number | null;
}

/**
 * Output tokens per joule at a named boundary (DESIGN §3): η = N_out / E_boundary, tokens/J,
 * equal to output tok/s per watt of mean power over the same window. Use the window's energy
 * (warm-up excluded) with the window's output tokens.
 * @throws AifError E_INVALID_ARGUMENT unless energy > 0, window > 0 and tokens ≥ 0.
 * @example tokensPerJouleAt({ outputTokens: 500, windowSeconds: 10,
 *   energy: { boundary: 'chip', energyJoules: 1000 } }).tokensPerJoule // 0.5
 */
export function tokensPerJouleAt(options: {
  outputTokens: number;
  windowSeconds: number;
  energy: BoundaryEnergy;
}): TokensPerJouleAtBoundary {
  const { outputTokens, windowSeconds, energy } = options;
  const fn = 'tokensPerJouleAt';
  requireArg(
    Number.isFinite(energy.energyJoules) && energy.energyJoules > 0,
    fn,
    `energy at ${energy.boundary} must be > 0 J, got ${energy.energyJoules}`,
  );
  requireArg(windowSeconds > 0, fn, `windowSeconds must be > 0, got ${windowSeconds}`);
  requireArg(outputTokens >= 0, fn, `outputTokens must be ≥ 0, got ${outputTokens}`);
  return {
    boundary: energy.boundary,
    energyJoules: energy.energyJoules,
    windowSeconds,
    meanPowerWatts: energy.energyJoules / windowSeconds,
    outputTokens,
    tokensPerJoule: outputTokens / energy.energyJoules,
    joulesPerToken: outputTokens === 0 ? null : energy.energyJoules / outputTokens,
  };
}
