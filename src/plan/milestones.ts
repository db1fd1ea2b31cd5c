/**
 * Site milestones (DESIGN §8): the gates a site passes, in order, before its capacity can be
 * procured — announced → site control → power confirmed (utility agreement) → permitted →
 * financed → under construction → energized. Each gate has a date, a status and a confidence.
 *
 * Capacity is **facility MW**: the site's contracted utility envelope (DESIGN §6), i.e. what
 * the facility draws at its peak, cooling and conversion losses included. The power-chain
 * model turns it into usable IT MW; milestones never do.
 *
 * Validation (`validateSiteMilestones`) enforces the order: present gates have non-decreasing
 * dates, and `done` gates form a prefix of the present gates (a gate cannot pass before its
 * predecessor). Gates may be left out (unknown); a required gate that is missing never passes.
 */
import { requireArg } from '../core/errors.js';
import type { SourceRef } from '../core/source.js';
import type { UncertainSpec } from '../econ/uncertain.js';
import { planDateToMonths, type MonthTime, type PlanDate } from './period.js';

/** The gates in the order a site passes them. */
export const GATES = [
  'announced',
  'site-control',
  'power-confirmed',
  'permitted',
  'financed',
  'under-construction',
  'energized',
] as const;

export type Gate = (typeof GATES)[number];

/** Position of a gate in `GATES` (0 = announced, 6 = energized). */
export const gateIndex = (gate: Gate): number => GATES.indexOf(gate);

/**
 * - `done`: passed on its date (fixed; Monte Carlo never delays it).
 * - `planned`: expected on its date.
 * - `at-risk`: expected on its date but flagged; `procurableTimeline` can treat it as blocked.
 */
export type GateStatus = 'done' | 'planned' | 'at-risk';

export interface GateMilestone {
  /** When the gate passed or is expected to: `YYYY-Qn`, `YYYY-MM` or `YYYY-MM-DD`. */
  date: PlanDate;
  status: GateStatus;
  /**
   * The planner's confidence (0–1) that the date holds. Reported beside the gate that holds a
   * site back; never multiplied into MW (capacity and likelihood stay separate columns).
   */
  confidence?: number;
  /**
   * An extra slip in months for this gate, drawn in Monte Carlo on top of its date (values
   * below 0 are taken as 0). Ignored for `done` gates and in the deterministic timeline.
   */
  slipMonths?: UncertainSpec;
  /** Where the date comes from (a utility letter, a press release). */
  ref?: SourceRef;
  note?: string;
}

/**
 * Gate `to` passes no sooner than `months` after gate `from` (Monte Carlo, gate-delays.ts;
 * sourced defaults there). Declared here so a site can carry its own.
 */
export interface LeadTime {
  /** Stable id, e.g. `grid-connection`; orders the draws within a gate's stream. */
  id: string;
  from: Gate;
  to: Gate;
  /** Duration in months (non-negative support). */
  months: UncertainSpec;
  ref: SourceRef;
}

/** One energization step: `facilityMw` more MW energized from `date`. */
export interface RampTranche {
  date: PlanDate;
  facilityMw: number;
}

/** A site with its milestones, as the planner's app layer passes it in. */
export interface SiteMilestones {
  /** Unique id, no `/` (it names the site's random streams). */
  siteId: string;
  /** Facility MW of the utility envelope (not IT MW; see the module comment). */
  facilityMw: number;
  /** The gates known for this site; `announced` is required. */
  gates: Partial<Record<Gate, GateMilestone>>;
  /**
   * Energized tranches over time (incremental MW, dates ≥ the energized date, summing to
   * `facilityMw`). Absent: all of `facilityMw` is energized at the energized date. In Monte
   * Carlo the whole ramp moves with the energized gate's delay.
   */
  ramp?: readonly RampTranche[];
  /** Lead times for this site in Monte Carlo, replacing the run's defaults (see gate-delays). */
  leadTimes?: readonly LeadTime[];
}

/** A site's gates and ramp on the month axis (validated). */
export interface ResolvedSite {
  siteId: string;
  facilityMw: number;
  /** Gate → planned month time, for present gates only. */
  gateMonths: Partial<Record<Gate, MonthTime>>;
  /** The milestones as written, for present gates only. */
  gates: Partial<Record<Gate, GateMilestone>>;
  /** Ramp tranches as offsets (months) after the energized date, with their MW, in order. */
  ramp: { offsetMonths: number; facilityMw: number }[];
}

const fn = 'validateSiteMilestones';

/**
 * Check a site and put its dates on the month axis.
 * Requirements: non-empty `siteId` without `/`; finite `facilityMw` > 0; an `announced` gate;
 * every date well formed; confidence in [0, 1]; present gates' dates non-decreasing in gate
 * order; `done` gates a prefix of the present gates; ramp tranches with MW > 0, dates
 * non-decreasing and ≥ the energized date (an energized gate is needed for a ramp), summing to
 * `facilityMw` (relative tolerance 1e-9).
 * @throws AifError(E_INVALID_ARGUMENT) naming the site, the gate and the requirement.
 */
export function validateSiteMilestones(site: SiteMilestones): ResolvedSite {
  const id = site.siteId;
  requireArg(
    typeof id === 'string' && id.length > 0 && !id.includes('/'),
    fn,
    `siteId must be non-empty without '/', got '${id}'`,
  );
  requireArg(
    Number.isFinite(site.facilityMw) && site.facilityMw > 0,
    fn,
    `site '${id}': facilityMw must be finite and > 0, got ${site.facilityMw}`,
  );
  requireArg(
    site.gates.announced !== undefined,
    fn,
    `site '${id}': the 'announced' gate is required`,
  );

  const gateMonths: Partial<Record<Gate, MonthTime>> = {};
  let previous: { gate: Gate; t: MonthTime; done: boolean } | undefined;
  for (const gate of GATES) {
    const m = site.gates[gate];
    if (m === undefined) continue;
    const t = planDateToMonths(m.date);
    if (m.confidence !== undefined)
      requireArg(
        m.confidence >= 0 && m.confidence <= 1,
        fn,
        `site '${id}', gate '${gate}': confidence must be in [0, 1], got ${m.confidence}`,
      );
    if (previous !== undefined) {
      requireArg(
        t >= previous.t,
        fn,
        `site '${id}': gate '${gate}' (${m.date}) is dated before '${previous.gate}'; gates pass in order`,
      );
      requireArg(
        previous.done || m.status !== 'done',
        fn,
        `site '${id}': gate '${gate}' is done but earlier gate '${previous.gate}' is not; gates pass in order`,
      );
    }
    gateMonths[gate] = t;
    previous = { gate, t, done: m.status === 'done' };
  }

  const ramp: ResolvedSite['ramp'] = [];
  if (site.ramp !== undefined && site.ramp.length > 0) {
    const energized = gateMonths.energized;
    requireArg(energized !== undefined, fn, `site '${id}': a ramp needs an 'energized' gate`);
    let total = 0;
    let last = energized;
    for (const tranche of site.ramp) {
      const t = planDateToMonths(tranche.date);
      requireArg(
        Number.isFinite(tranche.facilityMw) && tranche.facilityMw > 0,
        fn,
        `site '${id}': ramp tranche at ${tranche.date} needs facilityMw > 0, got ${tranche.facilityMw}`,
      );
      requireArg(
        t >= last,
        fn,
        `site '${id}': ramp tranche at ${tranche.date} is before the energized date or the previous tranche`,
      );
      last = t;
      total += tranche.facilityMw;
      ramp.push({ offsetMonths: t - energized, facilityMw: tranche.facilityMw });
    }
    requireArg(
      Math.abs(total - site.facilityMw) <= 1e-9 * site.facilityMw,
      fn,
      `site '${id}': ramp tranches sum to ${total} MW, expected facilityMw ${site.facilityMw}`,
    );
  } else {
    ramp.push({ offsetMonths: 0, facilityMw: site.facilityMw });
  }
  return { siteId: id, facilityMw: site.facilityMw, gateMonths, gates: { ...site.gates }, ramp };
}

/**
 * Validate every site and check ids are unique.
 * @throws AifError(E_INVALID_ARGUMENT) for a duplicate id or an invalid site.
 */
export function validateSites(sites: readonly SiteMilestones[]): ResolvedSite[] {
  const seen = new Set<string>();
  return sites.map((site) => {
    requireArg(!seen.has(site.siteId), fn, `duplicate siteId '${site.siteId}'`);
    seen.add(site.siteId);
    return validateSiteMilestones(site);
  });
}

/** The latest present gate strictly before `gate` in order, if any. */
export function presentPredecessor(
  gateMonths: Partial<Record<Gate, MonthTime>>,
  gate: Gate,
): Gate | undefined {
  for (let i = gateIndex(gate) - 1; i >= 0; i--) {
    const g = GATES[i]!;
    if (gateMonths[g] !== undefined) return g;
  }
  return undefined;
}

/**
 * Facility MW energized by (strictly before) month time `endMonths`, given the energized
 * time: Σ tranche MW with energized + offset < endMonths. 0 when `energizedMonths` is undefined.
 */
export function energizedMwBefore(
  ramp: ResolvedSite['ramp'],
  energizedMonths: MonthTime | undefined,
  endMonths: MonthTime,
): number {
  if (energizedMonths === undefined) return 0;
  let mw = 0;
  for (const tranche of ramp)
    if (energizedMonths + tranche.offsetMonths < endMonths) mw += tranche.facilityMw;
  return mw;
}
