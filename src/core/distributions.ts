/**
 * Moments of the distributions scenarios are written in (DESIGN §11): `fixed`, `lognormal` by
 * median and p90, `uniform` between min and max, `empirical` over observed values. One pure
 * function per concept; the analytical estimate needs means (and, for call-weighted agent
 * sessions, second moments), the serving twin will sample the same shapes.
 */

/** A distribution as a scenario states it (structurally the scenario layer's `Distribution`). */
export type DistributionSpec =
  | { dist: 'fixed'; value: number }
  | { dist: 'lognormal'; median: number; p90: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'empirical'; values: readonly number[] };

/** Φ⁻¹(0.9): the standard normal's 90th percentile (Abramowitz & Stegun 26.2; 1.2815515655…). */
export const Z_90 = 1.2815515655446004;

/**
 * σ of the lognormal with the given median and 90th percentile: ln X ~ N(μ, σ²), μ = ln median,
 * p90 = median·exp(σ·z₉₀) ⇒ σ = ln(p90/median) / z₉₀.
 * @throws RangeError unless 0 < median < p90.
 * @example lognormalSigma(1, Math.exp(Z_90)) === 1
 */
export function lognormalSigma(median: number, p90: number): number {
  if (!(median > 0 && p90 > median))
    throw new RangeError(
      `lognormalSigma: requires 0 < median < p90, got median ${median}, p90 ${p90}`,
    );
  return Math.log(p90 / median) / Z_90;
}

/**
 * Mean E[X]. fixed: the value; lognormal: median·exp(σ²/2); uniform: (min + max)/2;
 * empirical: the arithmetic mean of the values (each value equally likely). O(n) for empirical.
 * @throws RangeError for an empirical distribution without values.
 * @example distributionMean({ dist: 'lognormal', median: 1020, p90: 2734 }) ≈ 1371.3
 */
export function distributionMean(d: DistributionSpec): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'lognormal': {
      const s = lognormalSigma(d.median, d.p90);
      return d.median * Math.exp((s * s) / 2);
    }
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'empirical': {
      if (d.values.length === 0)
        throw new RangeError('distributionMean: empirical distribution has no values');
      let s = 0;
      for (const v of d.values) s += v;
      return s / d.values.length;
    }
  }
}

/**
 * Second raw moment E[X²]. fixed: v²; lognormal: median²·exp(2σ²); uniform:
 * (min² + min·max + max²)/3; empirical: the mean of the squared values.
 * @throws RangeError for an empirical distribution without values.
 * @example distributionSecondMoment({ dist: 'uniform', min: 0, max: 3 }) === 3
 */
export function distributionSecondMoment(d: DistributionSpec): number {
  switch (d.dist) {
    case 'fixed':
      return d.value * d.value;
    case 'lognormal': {
      const s = lognormalSigma(d.median, d.p90);
      return d.median * d.median * Math.exp(2 * s * s);
    }
    case 'uniform':
      return (d.min * d.min + d.min * d.max + d.max * d.max) / 3;
    case 'empirical': {
      if (d.values.length === 0)
        throw new RangeError('distributionSecondMoment: empirical distribution has no values');
      let s = 0;
      for (const v of d.values) s += v * v;
      return s / d.values.length;
    }
  }
}

/** Short human form, e.g. `lognormal(median 1020, p90 2734)`, `fixed 1000`. */
export function describeDistribution(d: DistributionSpec): string {
  switch (d.dist) {
    case 'fixed':
      return `fixed ${d.value}`;
    case 'lognormal':
      return `lognormal(median ${d.median}, p90 ${d.p90})`;
    case 'uniform':
      return `uniform(${d.min}..${d.max})`;
    case 'empirical':
      return `empirical(${d.values.length} values)`;
  }
}
