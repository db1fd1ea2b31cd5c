/**
 * When a sweep stops: the saturation rule. After each stage k of a sweep (loads in increasing
 * order) the sweep stops when either
 * - SLO attainment collapsed: attainment(k) < `minSloAttainment` (default 0.5 — most requests
 *   miss an SLO or fail; errors count as misses), or
 * - goodput stopped growing: token goodput(k) < (1 + `minGoodputGrowth`) × the best token
 *   goodput of stages 0…k−1 (default growth 0.05: less than 5 % more than the best so far),
 *   for `patience` consecutive stages (default 1).
 * The stage that triggers the stop is kept in the results: it is the first point past the knee.
 */

export interface SaturationRule {
  minSloAttainment: number;
  minGoodputGrowth: number;
  patience: number;
}

export const DEFAULT_SATURATION_RULE: SaturationRule = {
  minSloAttainment: 0.5,
  minGoodputGrowth: 0.05,
  patience: 1,
};

/** What the rule reads from each stage. */
export interface SaturationPoint {
  label: string;
  tokenGoodputPerSecond: number;
  sloAttainment: number | null;
}

export interface SaturationVerdict {
  saturated: boolean;
  reason: string | null;
}

/** Apply the rule to the stages run so far (pure). */
export function saturationVerdict(
  history: readonly SaturationPoint[],
  rule: SaturationRule = DEFAULT_SATURATION_RULE,
): SaturationVerdict {
  const k = history.length - 1;
  if (k < 0) return { saturated: false, reason: null };
  const last = history[k]!;
  if (last.sloAttainment !== null && last.sloAttainment < rule.minSloAttainment)
    return {
      saturated: true,
      reason: `SLO attainment collapsed at ${last.label}: ${(last.sloAttainment * 100).toFixed(1)}% < ${(rule.minSloAttainment * 100).toFixed(0)}%`,
    };
  let flat = 0;
  for (let j = k; j >= 1; j--) {
    let best = 0;
    for (let i = 0; i < j; i++) best = Math.max(best, history[i]!.tokenGoodputPerSecond);
    if (history[j]!.tokenGoodputPerSecond < (1 + rule.minGoodputGrowth) * best) flat++;
    else break;
  }
  if (flat >= rule.patience)
    return {
      saturated: true,
      reason: `goodput stopped growing at ${last.label}: ${last.tokenGoodputPerSecond.toFixed(1)} tok/s, less than ${(rule.minGoodputGrowth * 100).toFixed(0)}% above the best earlier stage`,
    };
  return { saturated: false, reason: null };
}
