/**
 * Root finding, one pure function per method.
 */

/**
 * Where an increasing function crosses zero on [lo, hi], by bisection (Burden & Faires,
 * Numerical Analysis, §2.1): each step keeps the half whose ends straddle the crossing — the
 * upper half when f(mid) < 0, else the lower — and the midpoint of the last bracket is returned.
 * A fixed number of `steps` (default 60: a bracket of width w ends ≤ w·2⁻⁶⁰ wide) keeps the
 * result deterministic and its cost known; `tolerance` stops earlier once hi − lo ≤ it. f is
 * assumed increasing with f(lo) < 0 ≤ f(hi), not checked: a function that stays below zero
 * returns ≈ hi, one that stays at or above zero ≈ lo. For a decreasing g, pass x ↦ −g(x).
 */
export function bisectIncreasing(
  f: (x: number) => number,
  lo: number,
  hi: number,
  options: { steps?: number; tolerance?: number } = {},
): number {
  const steps = options.steps ?? 60;
  const tolerance = options.tolerance ?? 0;
  let a = lo;
  let b = hi;
  for (let i = 0; i < steps && b - a > tolerance; i++) {
    const m = (a + b) / 2;
    if (f(m) < 0) a = m;
    else b = m;
  }
  return (a + b) / 2;
}
