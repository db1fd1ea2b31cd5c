/**
 * The installed base already drawing on a site's envelope, with retirements over time
 * (DESIGN §6). Written as a step schedule of provisioned IT MW: from each step's date on, the
 * installed base draws that many MW (a retirement is a later step with fewer MW; a step with 0
 * retires it all). Before the first step nothing is drawing.
 *
 * Boundary: IT MW, provisioned (the same boundary as `usableItPowerMw`), not facility MW — the
 * site's PUE turns it into facility power like any other IT load.
 *
 * Timing follows plan/period.ts: capacity "at period P" is as at the end of P, so a step dated
 * t applies at P when t < end of P.
 */
import { requireArg } from '../core/errors.js';
import { periodEndMonths, planDateToMonths, type Period, type PlanDate } from './period.js';

export interface InstalledBaseStep {
  /** From when: `YYYY-Qn`, `YYYY-MM` or `YYYY-MM-DD`. */
  from: PlanDate;
  /** Provisioned IT MW drawing from `from` on (≥ 0). */
  itMw: number;
  note?: string;
}

/**
 * Provisioned IT MW the installed base draws at period P: the `itMw` of the latest step whose
 * date is before the end of P, or 0 before the first step. O(n).
 * @throws AifError(E_INVALID_ARGUMENT) for a negative or non-finite `itMw`, a malformed date,
 *   or two steps on the same date.
 * @example installedBaseItMwAt([{ from: '2026-Q1', itMw: 20 }, { from: '2028-Q1', itMw: 5 }],
 *   '2027-Q4') === 20
 */
export function installedBaseItMwAt(steps: readonly InstalledBaseStep[], period: Period): number {
  const end = periodEndMonths(period);
  const seen = new Set<number>();
  let best: { t: number; itMw: number } | undefined;
  for (const step of steps) {
    requireArg(
      Number.isFinite(step.itMw) && step.itMw >= 0,
      'installedBaseItMwAt',
      `itMw must be a finite number ≥ 0, got ${step.itMw} (from ${step.from})`,
    );
    const t = planDateToMonths(step.from);
    requireArg(!seen.has(t), 'installedBaseItMwAt', `two steps on the same date '${step.from}'`);
    seen.add(t);
    if (t < end && (best === undefined || t > best.t)) best = { t, itMw: step.itMw };
  }
  return best?.itMw ?? 0;
}
