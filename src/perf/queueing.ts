/**
 * Queueing formulas used by the analytical model. One function per concept.
 */

/**
 * Mean waiting time in an M/D/1 queue (Poisson arrivals, deterministic service S, one server):
 * W = ρ·S / (2(1 − ρ)), the Pollaczek–Khinchine formula with zero service variance
 * (Kleinrock, Queueing Systems Vol. 1, 1975, eq. 5.76). Seconds; requires 0 ≤ ρ < 1.
 */
export function mdOneMeanWaitSeconds(rho: number, serviceSeconds: number): number {
  if (!(rho >= 0 && rho < 1))
    throw new RangeError(`mdOneMeanWaitSeconds: rho must be in [0, 1), got ${rho}`);
  return (rho * serviceSeconds) / (2 * (1 - rho));
}

/**
 * Waiting-time quantile with an exponential tail fitted to the mean: in M/M/1,
 * P(W > t) = ρ·e^{−t(1−ρ)/S} with mean W̄ = ρS/(1−ρ), so t_q = W̄·ln(ρ/(1−q))/ρ.
 * Used as a tail approximation for the prefill queue (Kleinrock 1975, §3.2). Seconds.
 */
export function exponentialTailWaitQuantile(
  meanWaitSeconds: number,
  rho: number,
  q: number,
): number {
  if (rho <= 0 || meanWaitSeconds <= 0) return 0;
  return Math.max(0, (meanWaitSeconds * Math.log(rho / (1 - q))) / rho);
}

/**
 * Smallest k with P(Poisson(mean) ≤ k) ≥ q: exact summation of the pmf up to mean 50, then
 * the normal approximation with continuity correction, k ≈ mean + z_q·√mean − ½.
 */
export function poissonQuantile(mean: number, q: number): number {
  if (mean <= 0) return 0;
  if (!(q > 0 && q < 1)) throw new RangeError(`poissonQuantile: q must be in (0, 1), got ${q}`);
  if (mean > 50) return Math.ceil(mean + normalQuantile(q) * Math.sqrt(mean) - 0.5);
  let p = Math.exp(-mean);
  let cdf = p;
  let k = 0;
  while (cdf < q && k < 10_000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/**
 * Standard normal quantile by Acklam's rational approximation (relative error < 1.2e-9;
 * P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function", 2003).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
