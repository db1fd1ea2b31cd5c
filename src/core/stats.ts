/**
 * Small descriptive statistics, one pure function per concept.
 */

/** Arithmetic mean. Throws on an empty array. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('mean: requires at least one value');
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Quantile with linear interpolation between order statistics (type 7 of Hyndman & Fan 1996,
 * the default of R and numpy). q in [0, 1]. O(n log n).
 */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new RangeError('quantile: requires at least one value');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Signed percentage error of a prediction: 100·(predicted − actual)/actual. */
export function errorPct(predicted: number, actual: number): number {
  if (actual === 0) throw new RangeError('errorPct: actual must be non-zero');
  return (100 * (predicted - actual)) / actual;
}

/** Mean absolute percentage error, in percent: 100/n · Σ |p − a| / |a|. */
export function mape(pairs: readonly { predicted: number; actual: number }[]): number {
  return mean(pairs.map((p) => Math.abs(errorPct(p.predicted, p.actual))));
}
