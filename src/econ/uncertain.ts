/**
 * Uncertain economic inputs, written the way people state them (DESIGN §7, §11): a `fixed`
 * value, a `triangular` three-point estimate (min, most likely, max), a `lognormal` by median
 * and p90, or a `uniform` range. Units are the input's own (e.g. USD per kWh, years): every
 * function here is unit-preserving.
 *
 * The `fixed`, `lognormal` and `uniform` variants are structurally identical to those of core's
 * `DistributionSpec`, so a scenario's distribution (other than `empirical`) is accepted as is.
 * `triangular` lives here, not in `DistributionSpec`: adding it there would oblige every
 * exhaustive consumer of that union (the serving twin's sampler registry, the scenario schema)
 * to handle a shape only economics uses.
 *
 * Sampling reuses the same formulas (and so the same draws from a given stream) as the serving
 * twin's sampler for the shared kinds: uniform and triangular by inverse CDF from one uniform,
 * lognormal as median·exp(σ·Z) with Z from the stream's Box–Muller `nextNormal`.
 */
import { lognormalSigma } from '../core/distributions.js';
import { requireArg } from '../core/errors.js';
import type { RngStream } from '../core/rng.js';

/** An uncertain input as a user writes it. */
export type UncertainSpec =
  | { dist: 'fixed'; value: number }
  | { dist: 'triangular'; min: number; mode: number; max: number }
  | { dist: 'lognormal'; median: number; p90: number }
  | { dist: 'uniform'; min: number; max: number };

/** Draws one value from the given stream. */
export type UncertainSampler = (rng: RngStream) => number;

/** Closed-form 10th, 50th and 90th percentiles of a spec, in the input's units. */
export interface UncertainPercentiles {
  p10: number;
  p50: number;
  p90: number;
}

const finite = (...xs: number[]): boolean => xs.every((x) => Number.isFinite(x));

/**
 * Check a spec's parameters: all finite; triangular min ≤ mode ≤ max; uniform min ≤ max;
 * lognormal 0 < median < p90.
 * @throws AifError(E_INVALID_ARGUMENT) naming `fn` and the broken requirement.
 */
export function validateUncertain(spec: UncertainSpec, fn = 'validateUncertain'): void {
  switch (spec.dist) {
    case 'fixed':
      requireArg(finite(spec.value), fn, `fixed value must be finite, got ${spec.value}`);
      return;
    case 'triangular':
      requireArg(
        finite(spec.min, spec.mode, spec.max) && spec.min <= spec.mode && spec.mode <= spec.max,
        fn,
        `triangular needs finite min ≤ mode ≤ max, got ${spec.min}, ${spec.mode}, ${spec.max}`,
      );
      return;
    case 'lognormal':
      requireArg(
        finite(spec.median, spec.p90) && spec.median > 0 && spec.p90 > spec.median,
        fn,
        `lognormal needs finite 0 < median < p90, got median ${spec.median}, p90 ${spec.p90}`,
      );
      return;
    case 'uniform':
      requireArg(
        finite(spec.min, spec.max) && spec.min <= spec.max,
        fn,
        `uniform needs finite min ≤ max, got ${spec.min}..${spec.max}`,
      );
      return;
  }
}

/**
 * Inverse CDF of the triangular distribution with lower limit a = min, mode c, upper limit
 * b = max, at probability u ∈ [0, 1]: with F(c) = (c − a)/(b − a),
 *   x = a + √(u·(b − a)·(c − a))            for u < F(c),
 *   x = b − √((1 − u)·(b − a)·(b − c))      otherwise.
 * A degenerate a = b gives a. The square root is taken as √(u·(b − a))·√(c − a) so tiny widths
 * do not underflow to subnormals (whose root can overshoot the range), and the result is clamped
 * to [a, b] against the last rounding. Source: Kotz & van Dorp, "Beyond Beta" (2004), ch. 1;
 * https://en.wikipedia.org/wiki/Triangular_distribution#Generating_random_variates.
 * Parameters are not re-checked (use `validateUncertain`).
 * @example triangularQuantile({ min: 0, mode: 0, max: 1 }, 0.75) === 0.5
 */
export function triangularQuantile(
  t: { min: number; mode: number; max: number },
  u: number,
): number {
  const width = t.max - t.min;
  if (width === 0) return t.min;
  const fMode = (t.mode - t.min) / width;
  const x =
    u < fMode
      ? t.min + Math.sqrt(u * width) * Math.sqrt(t.mode - t.min)
      : t.max - Math.sqrt((1 - u) * width) * Math.sqrt(t.max - t.mode);
  return Math.min(t.max, Math.max(t.min, x));
}

type SamplerFactory<K extends UncertainSpec['dist']> = (
  s: Extract<UncertainSpec, { dist: K }>,
) => UncertainSampler;

/**
 * How each kind is sampled, keyed by `dist` (a typed registry, no `if` chain on names):
 * - `fixed`: the value; draws nothing from the stream.
 * - `triangular`: `triangularQuantile(U)`, U ~ U[0, 1) (inverse CDF, one uniform per draw).
 * - `lognormal`: median·exp(σ·Z), Z ~ N(0, 1) by Box–Muller (`RngStream.nextNormal`, two
 *   uniforms per draw), σ = ln(p90/median)/z₀.₉ (core `lognormalSigma`).
 * - `uniform`: min + (max − min)·U, U ~ U[0, 1) (inverse CDF).
 */
const SAMPLERS: { [K in UncertainSpec['dist']]: SamplerFactory<K> } = {
  fixed: (s) => {
    const value = s.value;
    return () => value;
  },
  triangular: (s) => {
    const t = { min: s.min, mode: s.mode, max: s.max };
    return (rng) => triangularQuantile(t, rng.next());
  },
  lognormal: (s) => {
    const sigma = lognormalSigma(s.median, s.p90);
    const median = s.median;
    return (rng) => median * Math.exp(sigma * rng.nextNormal());
  },
  uniform: (s) => {
    const min = s.min;
    const width = s.max - s.min;
    return (rng) => min + width * rng.next();
  },
};

/**
 * Compile a spec into a sampler (validated once; per draw O(1)).
 * @throws AifError(E_INVALID_ARGUMENT) for invalid parameters (see `validateUncertain`).
 * @example createUncertainSampler({ dist: 'fixed', value: 3 })(rng) === 3
 */
export function createUncertainSampler(spec: UncertainSpec): UncertainSampler {
  validateUncertain(spec, 'createUncertainSampler');
  return (SAMPLERS[spec.dist] as SamplerFactory<typeof spec.dist>)(spec);
}

/**
 * One draw of `spec` from `rng`, in the input's units (formulas: see `createUncertainSampler`).
 * Compiles the spec on every call: in loops, compile once with `createUncertainSampler`.
 * @throws AifError(E_INVALID_ARGUMENT) for invalid parameters.
 * @example sampleUncertain({ dist: 'triangular', min: 1, mode: 2, max: 4 }, rng) ∈ [1, 4]
 */
export function sampleUncertain(spec: UncertainSpec, rng: RngStream): number {
  return createUncertainSampler(spec)(rng);
}

/**
 * Mean E[X]. fixed: v; triangular: (min + mode + max)/3; lognormal: median·exp(σ²/2);
 * uniform: (min + max)/2. Source: the textbook moments (e.g. Johnson, Kotz & Balakrishnan,
 * "Continuous Univariate Distributions", vol. 1–2).
 * @throws AifError(E_INVALID_ARGUMENT) for invalid parameters.
 * @example uncertainMean({ dist: 'triangular', min: 0, mode: 3, max: 9 }) === 4
 */
export function uncertainMean(spec: UncertainSpec): number {
  validateUncertain(spec, 'uncertainMean');
  switch (spec.dist) {
    case 'fixed':
      return spec.value;
    case 'triangular':
      return (spec.min + spec.mode + spec.max) / 3;
    case 'lognormal': {
      const s = lognormalSigma(spec.median, spec.p90);
      return spec.median * Math.exp((s * s) / 2);
    }
    case 'uniform':
      return (spec.min + spec.max) / 2;
  }
}

/**
 * Variance Var[X], in the input's units squared. fixed: 0; triangular (a, c, b):
 * (a² + b² + c² − ab − ac − bc)/18; lognormal: (exp(σ²) − 1)·median²·exp(σ²);
 * uniform: (max − min)²/12.
 * @throws AifError(E_INVALID_ARGUMENT) for invalid parameters.
 * @example uncertainVariance({ dist: 'uniform', min: 0, max: 6 }) === 3
 */
export function uncertainVariance(spec: UncertainSpec): number {
  validateUncertain(spec, 'uncertainVariance');
  switch (spec.dist) {
    case 'fixed':
      return 0;
    case 'triangular': {
      const { min: a, mode: c, max: b } = spec;
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    }
    case 'lognormal': {
      const s2 = lognormalSigma(spec.median, spec.p90) ** 2;
      return (Math.exp(s2) - 1) * spec.median * spec.median * Math.exp(s2);
    }
    case 'uniform':
      return (spec.max - spec.min) ** 2 / 12;
  }
}

/**
 * Closed-form P10, P50 and P90 (inverse CDF at 0.1, 0.5, 0.9). fixed: the value thrice;
 * triangular: `triangularQuantile`; lognormal: median²/p90, median, p90 (ln X is symmetric
 * about ln median, z₀.₁ = −z₀.₉); uniform: min + q·(max − min).
 * @throws AifError(E_INVALID_ARGUMENT) for invalid parameters.
 * @example uncertainPercentiles({ dist: 'uniform', min: 0, max: 10 }) → { p10: 1, p50: 5, p90: 9 }
 */
export function uncertainPercentiles(spec: UncertainSpec): UncertainPercentiles {
  validateUncertain(spec, 'uncertainPercentiles');
  switch (spec.dist) {
    case 'fixed':
      return { p10: spec.value, p50: spec.value, p90: spec.value };
    case 'triangular':
      return {
        p10: triangularQuantile(spec, 0.1),
        p50: triangularQuantile(spec, 0.5),
        p90: triangularQuantile(spec, 0.9),
      };
    case 'lognormal':
      // median·exp(−σ·z₀.₉) with σ·z₀.₉ = ln(p90/median), i.e. median²/p90.
      return { p10: spec.median * (spec.median / spec.p90), p50: spec.median, p90: spec.p90 };
    case 'uniform': {
      const w = spec.max - spec.min;
      return { p10: spec.min + 0.1 * w, p50: spec.min + 0.5 * w, p90: spec.min + 0.9 * w };
    }
  }
}

/** Short human form, e.g. `triangular(1, 2, 4)`, `lognormal(median 4, p90 24)`, `fixed 3`. */
export function describeUncertain(spec: UncertainSpec): string {
  switch (spec.dist) {
    case 'fixed':
      return `fixed ${spec.value}`;
    case 'triangular':
      return `triangular(${spec.min}, ${spec.mode}, ${spec.max})`;
    case 'lognormal':
      return `lognormal(median ${spec.median}, p90 ${spec.p90})`;
    case 'uniform':
      return `uniform(${spec.min}..${spec.max})`;
  }
}
