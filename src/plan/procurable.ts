/**
 * Announced versus procurable capacity over time (DESIGN §8), deterministic.
 *
 * All capacities are facility MW (the utility envelope; see milestones.ts). At period P the
 * capacity is measured at the end of P (period.ts): an event at month time t counts when
 * t < periodEndMonths(P).
 *
 * - **announced MW**: Σ facilityMw of sites whose `announced` date is in or before P — the
 *   announced pipeline, whatever its gates.
 * - **announced-online MW**: what the announcements say is energized by P: the planned ramp
 *   from the planned energized date, ignoring every other gate and every status.
 * - **procurable MW**: Σ over sites that have passed every required gate and `energized` by the
 *   end of P of their ramp energized by then. A required gate that is missing never passes;
 *   with `atRiskBlocks`, an `at-risk` required gate never passes either.
 *
 * The three are reported side by side and never summed together. Because gate dates are
 * non-decreasing (validated), procurable ≤ announced-online ≤ announced at every period.
 */
import { requireArg } from '../core/errors.js';
import {
  energizedMwBefore,
  GATES,
  gateIndex,
  validateSites,
  type Gate,
  type GateStatus,
  type ResolvedSite,
  type SiteMilestones,
} from './milestones.js';
import {
  periodEndMonths,
  periodRange,
  type MonthTime,
  type Period,
  type PlanDate,
} from './period.js';

export interface ProcurableOptions {
  /** First and last reporting quarters, both included. */
  from: Period;
  to: Period;
  /**
   * Gates a site must have passed to count as procurable (e.g. `['power-confirmed',
   * 'permitted', 'financed']`). `energized` is always required, listed or not.
   */
  requiredGates: readonly Gate[];
  /** When true, a required gate marked `at-risk` counts as not passed. Default false. */
  atRiskBlocks?: boolean;
}

/**
 * Why a site is not (fully) procurable at a period:
 * `not-yet` (the gate's date is after the period), `missing` (no date for a required gate),
 * `at-risk` (flagged and `atRiskBlocks`), `ramping` (all gates passed, ramp incomplete).
 */
export type HoldReason = 'not-yet' | 'missing' | 'at-risk' | 'ramping';

/** The first gate, in gate order, that holds a site back at a period. */
export interface SiteHold {
  gate: Gate;
  reason: HoldReason;
  /** The gate's date as written (absent when missing). */
  date?: PlanDate;
  status?: GateStatus;
  confidence?: number;
}

export interface SitePeriod {
  siteId: string;
  announcedMw: number;
  announcedOnlineMw: number;
  procurableMw: number;
  /** `null` when the whole site is procurable. */
  heldBy: SiteHold | null;
}

export interface ProcurablePeriod {
  period: Period;
  announcedMw: number;
  announcedOnlineMw: number;
  procurableMw: number;
  sites: SitePeriod[];
}

export interface ProcurableTimeline {
  /** What the MW measure: the facility (utility envelope) MW, not IT MW. */
  basis: 'facility-mw';
  /** The gates required, in gate order, `energized` included. */
  requiredGates: Gate[];
  atRiskBlocks: boolean;
  periods: ProcurablePeriod[];
}

/**
 * The required gates in gate order, deduplicated, with `energized` added.
 * @throws AifError(E_INVALID_ARGUMENT) for an unknown gate name.
 */
export function normalizeRequiredGates(requiredGates: readonly Gate[]): Gate[] {
  for (const g of requiredGates)
    requireArg(
      (GATES as readonly string[]).includes(g),
      'normalizeRequiredGates',
      `unknown gate '${String(g)}'; gates are ${GATES.join(', ')}`,
    );
  const set = new Set<Gate>([...requiredGates, 'energized']);
  return GATES.filter((g) => set.has(g));
}

/**
 * The month time from which the site counts as procurable: the latest time among its required
 * gates (`Infinity` if one is missing or, with `atRiskBlocks`, at risk). `gateMonths` may be
 * the planned times or sampled ones (Monte Carlo).
 */
export function procurableFromMonths(
  site: ResolvedSite,
  gateMonths: Partial<Record<Gate, MonthTime>>,
  required: readonly Gate[],
  atRiskBlocks = false,
): MonthTime {
  let t = -Infinity;
  for (const g of required) {
    const gt = gateMonths[g];
    if (gt === undefined) return Infinity;
    if (atRiskBlocks && site.gates[g]?.status === 'at-risk') return Infinity;
    if (gt > t) t = gt;
  }
  return t;
}

/**
 * Procurable facility MW of one site by (strictly before) `endMonths`, with gate times
 * `gateMonths`: 0 unless every required gate passed before `endMonths`, else the ramp
 * energized by then (tranches move with the energized time).
 */
export function procurableMwAt(
  site: ResolvedSite,
  gateMonths: Partial<Record<Gate, MonthTime>>,
  options: { required: readonly Gate[]; atRiskBlocks?: boolean; endMonths: MonthTime },
): number {
  const from = procurableFromMonths(site, gateMonths, options.required, options.atRiskBlocks);
  if (!(from < options.endMonths)) return 0;
  return energizedMwBefore(site.ramp, gateMonths.energized, options.endMonths);
}

function holdOf(
  site: ResolvedSite,
  required: readonly Gate[],
  atRiskBlocks: boolean,
  endMonths: MonthTime,
  procurableMw: number,
): SiteHold | null {
  const gates: Gate[] = ['announced', ...required.filter((g) => g !== 'announced')];
  gates.sort((a, b) => gateIndex(a) - gateIndex(b));
  for (const gate of gates) {
    const m = site.gates[gate];
    const t = site.gateMonths[gate];
    if (m === undefined || t === undefined) return { gate, reason: 'missing' };
    const detail = {
      date: m.date,
      status: m.status,
      ...(m.confidence !== undefined ? { confidence: m.confidence } : {}),
    };
    if (gate !== 'announced' && atRiskBlocks && m.status === 'at-risk')
      return { gate, reason: 'at-risk', ...detail };
    if (!(t < endMonths)) return { gate, reason: 'not-yet', ...detail };
  }
  if (procurableMw < site.facilityMw) {
    const m = site.gates.energized!;
    return { gate: 'energized', reason: 'ramping', date: m.date, status: m.status };
  }
  return null;
}

/**
 * Announced, announced-online and procurable facility MW per quarter, with the gate holding
 * each site back (definitions in the module comment).
 *
 * Cost: O(periods · sites · (gates + ramp tranches)).
 * @throws AifError(E_INVALID_ARGUMENT) for invalid sites (see `validateSiteMilestones`), an
 *   unknown gate, or `to` before `from`.
 * @example procurableTimeline([site], { from: '2026-Q1', to: '2028-Q4',
 *   requiredGates: ['power-confirmed', 'permitted', 'financed'] }).periods[0].procurableMw
 */
export function procurableTimeline(
  sites: readonly SiteMilestones[],
  options: ProcurableOptions,
): ProcurableTimeline {
  const resolved = validateSites(sites);
  const required = normalizeRequiredGates(options.requiredGates);
  const atRiskBlocks = options.atRiskBlocks ?? false;
  const periods = periodRange(options.from, options.to).map((period): ProcurablePeriod => {
    const endMonths = periodEndMonths(period);
    const rows = resolved.map((site): SitePeriod => {
      const announcedMw = site.gateMonths.announced! < endMonths ? site.facilityMw : 0;
      const announcedOnlineMw = energizedMwBefore(site.ramp, site.gateMonths.energized, endMonths);
      const procurableMw = procurableMwAt(site, site.gateMonths, {
        required,
        atRiskBlocks,
        endMonths,
      });
      return {
        siteId: site.siteId,
        announcedMw,
        announcedOnlineMw,
        procurableMw,
        heldBy: holdOf(site, required, atRiskBlocks, endMonths, procurableMw),
      };
    });
    const total = (k: 'announcedMw' | 'announcedOnlineMw' | 'procurableMw'): number =>
      rows.reduce((s, r) => s + r[k], 0);
    return {
      period,
      announcedMw: total('announcedMw'),
      announcedOnlineMw: total('announcedOnlineMw'),
      procurableMw: total('procurableMw'),
      sites: rows,
    };
  });
  return { basis: 'facility-mw', requiredGates: required, atRiskBlocks, periods };
}
