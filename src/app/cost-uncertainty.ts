/**
 * Use case `cost --tornado / --monte-carlo`: how the cost per token and the TCO of one
 * operating point move with their uncertain inputs (DESIGN §7: sensitivity and Monte Carlo
 * are first-class outputs).
 *
 * The model re-runs the same formulas the cost report used (econ/tco.ts, then
 * econ/cost-per-token.ts) on the point's recorded inputs with:
 *   capex items × capexFactor (maintenance follows, as a share of capex);
 *   hardware life = lifeYears; cost of capital = costOfCapital (annuity only);
 *   energy cost × energyPriceFactor × pueFactor (facility energy is linear in both);
 *   every token rate (and the goodput) × throughputFactor (utilization, SLO attainment).
 * Base values: factors 1, the point's own life and cost of capital — so the base output equals
 * the report's figure exactly (a test checks it).
 */
import type { Metric } from '../core/basis.js';
import { requireArg } from '../core/errors.js';
import { costPerToken, type PerTokenKind } from '../econ/cost-per-token.js';
import { monteCarlo, type MonteCarloResult } from '../econ/monte-carlo.js';
import { tornado, type TornadoResult, type TornadoSpec } from '../econ/sensitivity.js';
import { computeTco } from '../econ/tco.js';
import type { UncertainSpec } from '../econ/uncertain.js';
import type { OperatingPointCost } from './cost.js';

/** Inputs the cost model varies, with their units. */
export const COST_UNCERTAINTY_INPUTS = {
  capexFactor: '× stated capex',
  energyPriceFactor: '× stated energy price',
  pueFactor: '× stated PUE',
  throughputFactor: '× modeled token rates',
  lifeYears: 'years',
  costOfCapital: 'per year',
} as const;
export type CostUncertaintyInput = keyof typeof COST_UNCERTAINTY_INPUTS;

export interface CostModelOutputs {
  /** All-in cost of the capacity, USD/hour. */
  tcoUsdPerHour: number;
  /** USD per 1M output tokens (the point's split rule). */
  usdPerMillionOutput: number;
  /** USD per 1M tokens of every kind, blended. */
  usdPerMillionBlended: number;
}

/** The point's base inputs: factors 1, its own hardware life and cost of capital. */
export function baseCostInputs(point: OperatingPointCost): Record<CostUncertaintyInput, number> {
  const hardware = point.model.tco.capex.find((c) => c.maintained) ?? point.model.tco.capex[0];
  return {
    capexFactor: 1,
    energyPriceFactor: 1,
    pueFactor: 1,
    throughputFactor: 1,
    lifeYears: hardware?.lifeYears ?? 1,
    costOfCapital: point.model.tco.costOfCapital,
  };
}

/** The point's cost as a function of the inputs (formulas in the module comment). */
export function costModel(
  point: OperatingPointCost,
): (inputs: Readonly<Record<string, number>>) => CostModelOutputs {
  const base = baseCostInputs(point);
  const { tco: tcoIn, costPerToken: cptIn } = point.model;
  return (x) => {
    const v = (k: CostUncertaintyInput): number => x[k] ?? base[k];
    const tco = computeTco({
      ...tcoIn,
      costOfCapital: v('costOfCapital'),
      capex: tcoIn.capex.map((c) => ({
        ...c,
        capexUsd: c.capexUsd * v('capexFactor'),
        // Hardware (maintained) items take the varied life; buildings keep theirs.
        lifeYears: c.maintained ? v('lifeYears') : c.lifeYears,
      })),
    });
    const energy = tco.waterfall.find((w) => w.item === 'energy')?.usdPerHour ?? 0;
    const usdPerHour = tco.usdPerHour + energy * (v('energyPriceFactor') * v('pueFactor') - 1);
    const f = v('throughputFactor');
    const scale = (k: PerTokenKind): PerTokenKind => ({
      uncachedInput: k.uncachedInput * f,
      cachedInput: k.cachedInput * f,
      output: k.output * f,
    });
    const cpt = costPerToken({
      ...cptIn,
      usdPerHour,
      tokensPerSecond: scale(cptIn.tokensPerSecond),
      ...(cptIn.outputGoodputTokensPerSecond !== undefined
        ? { outputGoodputTokensPerSecond: cptIn.outputGoodputTokensPerSecond * f }
        : {}),
    });
    return {
      tcoUsdPerHour: usdPerHour,
      usdPerMillionOutput: cpt.usdPerMillion.output.value,
      usdPerMillionBlended: cpt.usdPerMillion.blended.value,
    };
  };
}

export interface CostUncertaintyReport {
  point: string;
  currencyYear: string;
  base: CostModelOutputs;
  baseInputs: Record<CostUncertaintyInput, number>;
  /** Each input ±pct % (costOfCapital only under annuity amortization, where it matters). */
  tornado?: {
    pct: number;
    usdPerMillionOutput: TornadoResult;
    tcoUsdPerHour: TornadoResult;
  };
  monteCarlo?: MonteCarloResult<keyof CostModelOutputs>;
  /** The output metrics' basis, from the report (currency-year, utilization, boundary). */
  basis: Metric['basis'];
  method: string;
}

/**
 * Tornado (each input ±`tornadoPct` %) and, when `uncertainty` names distributions, a seeded
 * Monte Carlo with P10/P50/P90 of cost per 1M output tokens, blended, and TCO per hour.
 * @throws AifError E_INVALID_ARGUMENT for a negative pct or non-integer samples/seed.
 */
export function costUncertainty(
  point: OperatingPointCost,
  options: {
    tornadoPct?: number;
    uncertainty?: Partial<Record<CostUncertaintyInput, UncertainSpec>>;
    samples?: number;
    seed: number;
  },
): CostUncertaintyReport {
  const model = costModel(point);
  const baseInputs = baseCostInputs(point);
  const report: CostUncertaintyReport = {
    point: point.name,
    currencyYear: point.tco.currencyYear,
    base: model(baseInputs),
    baseInputs,
    basis: point.costPerToken.usdPerMillion.output.basis,
    method:
      'econ/tco.ts and econ/cost-per-token.ts re-run on the point’s inputs: capex × capexFactor, hardware life, cost of capital, energy × energyPriceFactor × pueFactor, token rates × throughputFactor',
  };
  if (options.tornadoPct !== undefined) {
    requireArg(options.tornadoPct >= 0, 'costUncertainty', 'tornadoPct must be ≥ 0');
    const annuity = point.model.tco.amortization === 'annuity';
    const spec: TornadoSpec = (Object.keys(COST_UNCERTAINTY_INPUTS) as CostUncertaintyInput[])
      .filter((k) => k !== 'costOfCapital' || annuity)
      .map((input) => ({ input, pct: options.tornadoPct! }));
    report.tornado = {
      pct: options.tornadoPct,
      usdPerMillionOutput: tornado((x) => model(x).usdPerMillionOutput, baseInputs, spec),
      tcoUsdPerHour: tornado((x) => model(x).tcoUsdPerHour, baseInputs, spec),
    };
  }
  const dists = Object.entries(options.uncertainty ?? {}).filter(
    (e): e is [CostUncertaintyInput, UncertainSpec] => e[1] !== undefined,
  );
  if (dists.length > 0) {
    const inputs: Record<string, number | UncertainSpec> = { ...baseInputs };
    for (const [k, d] of dists) inputs[k] = d;
    report.monteCarlo = monteCarlo((x) => model(x), inputs, {
      seed: options.seed,
      samples: options.samples ?? 2000,
    }) as MonteCarloResult<keyof CostModelOutputs>;
  }
  return report;
}
