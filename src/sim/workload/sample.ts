/**
 * Sampling the distributions scenarios are written in (`DistributionSpec`, DESIGN §11). One
 * pure function per concept; every random number comes from the `RngStream` passed in.
 *
 * A sampler is compiled once per distribution (`createSampler`) so the per-sample cost of a
 * lognormal is one normal draw and one `exp`, not a fresh `ln(p90/median)` as well.
 */
import { lognormalSigma, type DistributionSpec } from '../../core/distributions.js';
import { requireArg } from '../../core/errors.js';
import type { RngStream } from '../../core/rng.js';
import { invalidArgument } from '../invalid.js';

/** Draws one value of a distribution from the given stream. */
export type Sampler = (rng: RngStream) => number;

type SamplerFactory<K extends DistributionSpec['dist']> = (
  d: Extract<DistributionSpec, { dist: K }>,
) => Sampler;

/**
 * How each distribution kind is sampled, keyed by `dist` (a typed registry, no `if` chain):
 * - `fixed`: the value.
 * - `lognormal`: X = median·exp(σ·Z), Z ~ N(0, 1), σ = ln(p90/median)/z₀.₉ (`lognormalSigma`);
 *   median and p90 are then exact quantiles of X (ln X ~ N(ln median, σ²)).
 * - `uniform`: min + (max − min)·U, U ~ U[0, 1) (inverse CDF).
 * - `empirical`: one of the values, each with probability 1/n (bootstrap resampling,
 *   Efron 1979).
 */
export const SAMPLERS: { [K in DistributionSpec['dist']]: SamplerFactory<K> } = {
  fixed: (d) => {
    const value = d.value;
    return () => value;
  },
  lognormal: (d) => {
    const sigma = lognormalSigma(d.median, d.p90);
    const median = d.median;
    return (rng) => median * Math.exp(sigma * rng.nextNormal());
  },
  uniform: (d) => {
    requireArg(d.max >= d.min, 'createSampler', `uniform needs max ≥ min, got ${d.min}..${d.max}`);
    const min = d.min;
    const width = d.max - d.min;
    return (rng) => min + width * rng.next();
  },
  empirical: (d) => {
    requireArg(d.values.length > 0, 'createSampler', 'empirical distribution has no values');
    const values = d.values.slice();
    return (rng) => values[rng.nextInt(values.length)]!;
  },
};

/**
 * Compile a distribution into a sampler. O(1), or O(n) for `empirical` (the values are copied).
 * @throws AifError(E_INVALID_ARGUMENT) for an empty empirical, a uniform with max < min, or a
 *   lognormal without 0 < median < p90 (RangeError from `lognormalSigma`).
 * @example createSampler({ dist: 'fixed', value: 3 })(rng) === 3
 */
export function createSampler(d: DistributionSpec): Sampler {
  return (SAMPLERS[d.dist] as SamplerFactory<typeof d.dist>)(d);
}

/**
 * One draw of `d` (see `SAMPLERS` for each kind's formula). Compiles the distribution on every
 * call: in loops, compile once with `createSampler`.
 * @example sampleDistribution({ dist: 'uniform', min: 2, max: 4 }, rng) ∈ [2, 4)
 */
export function sampleDistribution(d: DistributionSpec, rng: RngStream): number {
  return createSampler(d)(rng);
}

/**
 * Round a sampled count to the nearest integer, at least `minimum`:
 * max(minimum, round(x)). Used for token and call counts (continuous samples → counts).
 * @example roundCount(0.2, 1) === 1; roundCount(215.6, 1) === 216
 */
export function roundCount(x: number, minimum: number): number {
  const n = Math.round(x);
  return n < minimum ? minimum : n;
}

/**
 * A token count drawn from `d`: max(minimum, round(x)), x one draw of `d`. A uniform's endpoints
 * therefore carry half the weight of inner integers (rounding of a continuous draw).
 * @example sampleTokens({ dist: 'fixed', value: 0.4 }, rng) === 1
 */
export function sampleTokens(d: DistributionSpec, rng: RngStream, minimum = 1): number {
  return roundCount(sampleDistribution(d, rng), minimum);
}

/** A compiled sampler of counts: max(minimum, round(x)). */
export function createCountSampler(d: DistributionSpec, minimum = 1): Sampler {
  const sample = createSampler(d);
  return (rng) => roundCount(sample(rng), minimum);
}

/**
 * One draw of Gamma(shape k, scale 1), by Marsaglia & Tsang, "A simple method for generating
 * gamma variables", ACM TOMS 26(3):363–372, 2000: for k ≥ 1 with d = k − 1/3, c = 1/√(9d),
 * repeat x ~ N(0,1), v = (1 + c·x)³ until v > 0 and ln U < x²/2 + d − d·v + d·ln v; return d·v.
 * For k < 1 the same paper's boost: Gamma(k) = Gamma(k + 1)·U^(1/k). Expected ≈ 1.05 loops.
 * @throws AifError(E_INVALID_ARGUMENT) unless shape > 0 and finite.
 * @example mean of many sampleGamma(4, rng) ≈ 4
 */
export function sampleGamma(shape: number, rng: RngStream): number {
  if (!(shape > 0 && Number.isFinite(shape)))
    invalidArgument('sampleGamma', `shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const u = 1 - rng.next(); // (0, 1]
    return sampleGamma(shape + 1, rng) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.nextNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next(); // (0, 1]: ln u finite
    if (u < 1 - 0.0331 * x * x * x * x) return d * v; // the paper's squeeze
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}
