/**
 * Gate delays and Monte Carlo over procurable capacity (DESIGN §7, §8).
 *
 * ## Delay model
 * A `LeadTime` says: gate `to` cannot pass sooner than `months` after gate `from` (e.g. a
 * >100 MW grid connection takes 4–7 years from the utility request, here taken as site
 * control). Per sample and site, gates are resolved in order; for a present gate g:
 * - `done`: S(g) = its date (fixed, no draws);
 * - otherwise S(g) = max( date(g) + max(0, slip(g)),            its own slip, if given
 *                         S(previous present gate),               the chain
 *                         S(from(L)) + max(0, D(L)) for every lead time L into g ).
 * `from(L)` is the latest present gate at or before L.from; a lead time with none is skipped.
 * So a gate never passes before its predecessor, and delays are never negative: the planned
 * dates are the earliest case, and Monte Carlo capacity never exceeds the planned procurable
 * capacity. The ramp moves with the energized gate.
 *
 * ## Streams (reproducibility, DESIGN §1.4)
 * Site s, gate g draws from `createRng(seed, 'plan/<s>/<g>')`; per sample it draws its slip (if
 * any) and then its lead times in id order. Same sites, options and seed ⇒ the same result;
 * raising `samples` keeps the earlier samples; changing one site or gate does not move another
 * stream's draws. The streams used are returned as provenance.
 *
 * ## Percentile convention
 * P10/P50/P90 of **capacity** are percentiles of the MW distribution: P10 capacity is the
 * pessimistic figure (a 90% chance of at least that much), P90 the optimistic one. For
 * **dates** (`procurableFrom`) P90 is the late one (a 90% chance of being procurable by then).
 * Percentiles: Hyndman & Fan type 7 (econ `PERCENTILE_METHOD`).
 */
import { requireArg } from '../core/errors.js';
import { createRng, RNG_ALGORITHM, type RngStream, type RngStreamInfo } from '../core/rng.js';
import type { SourceRef } from '../core/source.js';
import { quantile } from '../core/stats.js';
import { PERCENTILE_METHOD } from '../econ/monte-carlo.js';
import {
  createUncertainSampler,
  describeUncertain,
  validateUncertain,
  type UncertainSampler,
} from '../econ/uncertain.js';
import {
  energizedMwBefore,
  GATES,
  gateIndex,
  presentPredecessor,
  validateSites,
  type Gate,
  type LeadTime,
  type ResolvedSite,
  type SiteMilestones,
} from './milestones.js';
import {
  formatMonths,
  periodEndMonths,
  periodRange,
  type MonthTime,
  type Period,
} from './period.js';
import {
  normalizeRequiredGates,
  procurableFromMonths,
  type ProcurableOptions,
} from './procurable.js';

export type { LeadTime } from './milestones.js';

/** Average Gregorian month in days, 365.2425 / 12. */
export const DAYS_PER_MONTH = 30.436875;
const weeks = (w: number): number => (w * 7) / DAYS_PER_MONTH;

/**
 * Grid connection for a large load, request (site control) → energized, in months:
 * lognormal with median 55 (p10 ≈ 36, p90 84).
 * Median: LBNL "Queued Up" 2025 — median time in queue for projects reaching commercial
 * operation in 2024, 55 months (generation interconnection, used here for a large load).
 * P90: Dominion (Northern Virginia), wait for a >100 MW data-centre hookup up to 7 years; the
 * implied P10 of 36 months matches Dominion's earlier 3–4 years.
 */
export const GRID_CONNECTION_LEAD_TIME: LeadTime = {
  id: 'grid-connection',
  from: 'site-control',
  to: 'energized',
  months: { dist: 'lognormal', median: 55, p90: 84 },
  ref: {
    source:
      'https://www.loopbacksystems.com/insights/lawrence-berkeley-2025-interconnection-queue-report-overview (LBNL Queued Up 2025: 55 months); https://bnnbloomberg.ca/business/technology/2024/08/29/data-centers-face-seven-year-wait-for-power-hookups-in-virginia (4–7 years)',
    date: '2025-12',
    provenance: 'derived',
    note: 'shared reference facility-data.json, category grid; anchoring the request at site control is an assumption',
  },
};

/**
 * Dominion Energy (Northern Virginia) >100 MW data-centre connection: uniform 48–84 months
 * (4–7 years, "previously 3–4 years"), site control → energized. Use per site for Virginia.
 */
export const DOMINION_LARGE_LOAD_LEAD_TIME: LeadTime = {
  id: 'grid-connection',
  from: 'site-control',
  to: 'energized',
  months: { dist: 'uniform', min: 48, max: 84 },
  ref: {
    source:
      'https://bnnbloomberg.ca/business/technology/2024/08/29/data-centers-face-seven-year-wait-for-power-hookups-in-virginia',
    date: '2024-08-29',
    provenance: 'third-party',
    note: 'shared reference facility-data.json, category grid; range only, hence uniform',
  },
};

/** Medium-voltage switchgear, order (financed) → energized: uniform 46–48 weeks (≈ 10.6–11.0 months). */
export const SWITCHGEAR_LEAD_TIME: LeadTime = {
  id: 'switchgear',
  from: 'financed',
  to: 'energized',
  months: { dist: 'uniform', min: weeks(46), max: weeks(48) },
  ref: {
    source:
      'Cushman & Wakefield Data Center Development Cost Guide 2025, https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/6-7',
    date: '2025',
    provenance: 'third-party',
    note: 'shared reference public-data.json, datacenter_cost; ordering at financial close is an assumption',
  },
};

/** Generators and chillers, order (financed) → energized: uniform 30–110 weeks (≈ 6.9–25.3 months). */
export const GENERATOR_CHILLER_LEAD_TIME: LeadTime = {
  id: 'generators-chillers',
  from: 'financed',
  to: 'energized',
  months: { dist: 'uniform', min: weeks(30), max: weeks(110) },
  ref: {
    source:
      'Cushman & Wakefield Data Center Development Cost Guide 2025, https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/6-7',
    date: '2025',
    provenance: 'third-party',
    note: "shared reference public-data.json: '>30 weeks, up to 110 weeks'; range only, hence uniform",
  },
};

/**
 * Large power transformers, order (financed) → energized: uniform 18–36 months.
 * Not in the shared reference data; a low-authority industry FAQ — replace when a better
 * source is at hand.
 */
export const LARGE_TRANSFORMER_LEAD_TIME: LeadTime = {
  id: 'large-transformer',
  from: 'financed',
  to: 'energized',
  months: { dist: 'uniform', min: 18, max: 36 },
  ref: {
    source: 'https://www.datacentres.com/faq/how-long-to-build-a-data-centre',
    date: '2026',
    provenance: 'third-party',
    note: "low authority; 'Transformer lead times run 18-36 months'; not in the shared reference data",
  },
};

/** Construction bands by facility size, groundbreaking → substantial completion, months. */
const CONSTRUCTION_BANDS: readonly { upToMw: number; min: number; max: number; label: string }[] = [
  { upToMw: 5, min: 5, max: 8, label: 'edge / small 1–5 MW' },
  { upToMw: 15, min: 8, max: 12, label: 'mid-size 5–15 MW' },
  { upToMw: 30, min: 12, max: 18, label: 'large enterprise 15–30 MW' },
  { upToMw: 60, min: 14, max: 22, label: 'hyperscale single building 30–60 MW' },
  { upToMw: Infinity, min: 18, max: 30, label: 'hyperscale campus 100 MW+ (used above 60 MW)' },
];

/**
 * Construction, under construction → energized, for a site of `facilityMw`: uniform over the
 * band's range (edge 5–8, mid 8–12, enterprise 12–18, single hyperscale building 14–22, campus
 * 18–30 months; sites of 60–100 MW use the campus band). Not in the shared reference data;
 * a contractor's blog — low authority.
 */
export function constructionLeadTime(facilityMw: number): LeadTime {
  requireArg(facilityMw > 0, 'constructionLeadTime', `facilityMw must be > 0, got ${facilityMw}`);
  const band = CONSTRUCTION_BANDS.find((b) => facilityMw <= b.upToMw)!;
  return {
    id: 'construction',
    from: 'under-construction',
    to: 'energized',
    months: { dist: 'uniform', min: band.min, max: band.max },
    ref: {
      source: 'https://www.cortexconstruct.com/blog/how-long-does-it-take-to-build-a-data-center',
      date: '2026-04-05',
      provenance: 'third-party',
      note: `low authority; band '${band.label}' (construction duration); phased campuses deliver the first building in 18–24 months`,
    },
  };
}

/**
 * The default lead times for a site of `facilityMw`: grid connection (LBNL/Dominion), switchgear,
 * generators/chillers, large transformers, and construction by size.
 */
export function defaultLeadTimes(facilityMw: number): LeadTime[] {
  return [
    GRID_CONNECTION_LEAD_TIME,
    SWITCHGEAR_LEAD_TIME,
    GENERATOR_CHILLER_LEAD_TIME,
    LARGE_TRANSFORMER_LEAD_TIME,
    constructionLeadTime(facilityMw),
  ];
}

/**
 * Check lead times: unique ids, `from` before `to` in gate order, valid specs with
 * non-negative support.
 * @throws AifError(E_INVALID_ARGUMENT) naming the lead time.
 */
export function validateLeadTimes(leadTimes: readonly LeadTime[], fn = 'validateLeadTimes'): void {
  const ids = new Set<string>();
  for (const lt of leadTimes) {
    requireArg(!ids.has(lt.id), fn, `duplicate lead time id '${lt.id}'`);
    ids.add(lt.id);
    requireArg(
      gateIndex(lt.from) >= 0 && gateIndex(lt.to) > gateIndex(lt.from),
      fn,
      `lead time '${lt.id}': 'from' (${lt.from}) must be a gate before 'to' (${lt.to})`,
    );
    validateUncertain(lt.months, fn);
    const m = lt.months;
    const lowest = m.dist === 'fixed' ? m.value : m.dist === 'lognormal' ? 0 : m.min;
    requireArg(lowest >= 0, fn, `lead time '${lt.id}': months must not be negative`);
  }
}

/** What set a gate's resolved time: its plan, its slip, the chain, or a lead time's id. */
export type GateCause = 'done' | 'plan' | 'slip' | 'chain' | `lead:${string}`;

/** Sampled draws for one site: slips per gate and lead-time durations by id, in months. */
export interface GateDraws {
  slipMonths?: Partial<Record<Gate, number>>;
  leadTimeMonths?: Readonly<Record<string, number>>;
}

/**
 * Resolve a site's gate times under the given draws (see the module comment). With no draws
 * this returns the planned times. Each resolved time is ≥ its planned time.
 */
export function delayGateTimes(
  site: ResolvedSite,
  leadTimes: readonly LeadTime[],
  draws: GateDraws = {},
): { gateMonths: Partial<Record<Gate, MonthTime>>; cause: Partial<Record<Gate, GateCause>> } {
  const out: Partial<Record<Gate, MonthTime>> = {};
  const cause: Partial<Record<Gate, GateCause>> = {};
  for (const gate of GATES) {
    const planned = site.gateMonths[gate];
    if (planned === undefined) continue;
    if (site.gates[gate]?.status === 'done') {
      out[gate] = planned;
      cause[gate] = 'done';
      continue;
    }
    const slip = Math.max(0, draws.slipMonths?.[gate] ?? 0);
    let t = planned + slip;
    let c: GateCause = slip > 0 ? 'slip' : 'plan';
    const pred = presentPredecessor(site.gateMonths, gate);
    if (pred !== undefined && out[pred]! > t) {
      t = out[pred]!;
      c = 'chain';
    }
    for (const lt of leadTimes) {
      if (lt.to !== gate) continue;
      const anchor =
        site.gateMonths[lt.from] !== undefined
          ? lt.from
          : presentPredecessor(site.gateMonths, lt.from);
      const d = draws.leadTimeMonths?.[lt.id];
      if (anchor === undefined || d === undefined) continue;
      const lt0 = out[anchor]! + Math.max(0, d);
      if (lt0 > t) {
        t = lt0;
        c = `lead:${lt.id}`;
      }
    }
    out[gate] = t;
    cause[gate] = c;
  }
  return { gateMonths: out, cause };
}

export interface ProcurableMonteCarloOptions extends ProcurableOptions {
  /** Integer seed of the run. */
  seed: number;
  /** Number of samples, an integer ≥ 1. */
  samples: number;
  /**
   * Lead times for sites without their own `leadTimes`. Default: `defaultLeadTimes(facilityMw)`
   * per site. Pass `[]` to draw only the gates' own slips.
   */
  leadTimes?: readonly LeadTime[];
}

/** Percentiles of a capacity, facility MW (P10 pessimistic, P90 optimistic). */
export interface CapacityPercentiles {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface ProcurableMonteCarloPeriod {
  period: Period;
  /** Deterministic, as in `procurableTimeline`. */
  announcedMw: number;
  announcedOnlineMw: number;
  /** Procurable MW at the planned dates (no delays): an upper bound of every sample. */
  plannedProcurableMw: number;
  procurableMw: CapacityPercentiles;
}

export interface SiteDelaySummary {
  siteId: string;
  /** Planned procurable-from month `YYYY-MM` (null: never, a required gate missing). */
  plannedProcurableFrom: string | null;
  /**
   * Procurable-from date percentiles `YYYY-MM` (P90 = late), over samples where it is finite;
   * null when the site is never procurable.
   */
  procurableFrom: { p10: string; p50: string; p90: string } | null;
  /** Share of samples by what set the procurable-from date, keyed `<gate> ← <cause>`. */
  heldBy: Record<string, number>;
  /** Lead times applied to this site, by id. */
  leadTimeIds: string[];
}

export interface ProcurableMonteCarloResult {
  basis: 'facility-mw';
  requiredGates: Gate[];
  atRiskBlocks: boolean;
  samples: number;
  percentileMethod: string;
  /** The P10/P50/P90 convention, in words. */
  convention: string;
  periods: ProcurableMonteCarloPeriod[];
  sites: SiteDelaySummary[];
  /** Every lead time used (deduplicated by id and spec), described, with its source. */
  leadTimes: { id: string; from: Gate; to: Gate; months: string; ref: SourceRef }[];
  rng: { algorithm: typeof RNG_ALGORITHM; seed: number; streams: RngStreamInfo[] };
}

export const CAPACITY_PERCENTILE_CONVENTION =
  'P10/P50/P90 are percentiles of procurable facility MW per period: P10 is pessimistic (90% chance of at least that much), P90 optimistic; for procurable-from dates P90 is the late date.';

/** The stream of site `siteId`, gate `gate`. */
export const gateStreamName = (siteId: string, gate: Gate): string => `plan/${siteId}/${gate}`;

interface SitePlan {
  site: ResolvedSite;
  leadTimes: readonly LeadTime[];
  /** Per gate that draws: its stream, slip sampler and lead-time samplers in id order. */
  drawers: {
    gate: Gate;
    rng: RngStream;
    slip?: UncertainSampler;
    leads: { id: string; sample: UncertainSampler }[];
  }[];
}

function planSite(site: ResolvedSite, leadTimes: readonly LeadTime[], seed: number): SitePlan {
  const drawers: SitePlan['drawers'] = [];
  for (const gate of GATES) {
    const m = site.gates[gate];
    if (m === undefined || m.status === 'done') continue;
    const leads = leadTimes
      .filter((lt) => {
        if (lt.to !== gate) return false;
        return (
          site.gateMonths[lt.from] !== undefined ||
          presentPredecessor(site.gateMonths, lt.from) !== undefined
        );
      })
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((lt) => ({ id: lt.id, sample: createUncertainSampler(lt.months) }));
    const slip = m.slipMonths !== undefined ? createUncertainSampler(m.slipMonths) : undefined;
    if (slip === undefined && leads.length === 0) continue;
    drawers.push({
      gate,
      rng: createRng(seed, gateStreamName(site.siteId, gate)),
      ...(slip !== undefined ? { slip } : {}),
      leads,
    });
  }
  return { site, leadTimes, drawers };
}

const pct = (sorted: readonly number[]): { p10: number; p50: number; p90: number } => ({
  p10: quantile(sorted, 0.1),
  p50: quantile(sorted, 0.5),
  p90: quantile(sorted, 0.9),
});

/**
 * Monte Carlo over gate delays: for each sample, draw every non-done gate's slip and lead
 * times (streams `plan/<site>/<gate>`), resolve gate times down the chain (`delayGateTimes`),
 * and sum procurable facility MW per quarter; report P10/P50/P90 (type 7) and the mean per
 * quarter beside the deterministic announced, announced-online and planned procurable MW,
 * plus each site's procurable-from date percentiles and what held it back.
 *
 * Cost: O(samples · sites · (gates + lead times + periods · tranches)) time,
 * O(samples · periods) memory.
 * @throws AifError(E_INVALID_ARGUMENT) for a non-integer seed, samples < 1, invalid sites or
 *   lead times, an unknown gate, or `to` before `from`.
 * @example procurableMonteCarlo(sites, { from: '2026-Q1', to: '2030-Q4',
 *   requiredGates: ['power-confirmed'], seed: 1, samples: 2000 }).periods[8].procurableMw.p10
 */
export function procurableMonteCarlo(
  sites: readonly SiteMilestones[],
  options: ProcurableMonteCarloOptions,
): ProcurableMonteCarloResult {
  const fn = 'procurableMonteCarlo';
  const { seed, samples } = options;
  requireArg(Number.isInteger(seed), fn, `seed must be an integer, got ${seed}`);
  requireArg(
    Number.isInteger(samples) && samples >= 1,
    fn,
    `samples must be an integer ≥ 1, got ${samples}`,
  );
  const resolved = validateSites(sites);
  const required = normalizeRequiredGates(options.requiredGates);
  const atRiskBlocks = options.atRiskBlocks ?? false;
  const periods = periodRange(options.from, options.to);
  const ends = periods.map(periodEndMonths);

  const plans = resolved.map((site, i) => {
    const lts = sites[i]!.leadTimes ?? options.leadTimes ?? defaultLeadTimes(site.facilityMw);
    validateLeadTimes(lts, fn);
    return planSite(site, lts, seed);
  });

  const columns = periods.map(() => new Float64Array(samples));
  const fromSamples = plans.map(() => [] as number[]);
  const heldCounts = plans.map(() => new Map<string, number>());
  for (let s = 0; s < samples; s++) {
    plans.forEach((plan, i) => {
      const slipMonths: Partial<Record<Gate, number>> = {};
      const leadTimeMonths: Record<string, number> = {};
      for (const d of plan.drawers) {
        if (d.slip !== undefined) slipMonths[d.gate] = d.slip(d.rng);
        for (const l of d.leads) leadTimeMonths[l.id] = l.sample(d.rng);
      }
      const { gateMonths, cause } = delayGateTimes(plan.site, plan.leadTimes, {
        slipMonths,
        leadTimeMonths,
      });
      const from = procurableFromMonths(plan.site, gateMonths, required, atRiskBlocks);
      if (Number.isFinite(from)) {
        fromSamples[i]!.push(from);
        let binding: Gate = required[0]!;
        for (const g of required) if (gateMonths[g]! >= gateMonths[binding]!) binding = g;
        const key = `${binding} ← ${cause[binding]!}`;
        heldCounts[i]!.set(key, (heldCounts[i]!.get(key) ?? 0) + 1);
        ends.forEach((end, p) => {
          if (from < end)
            columns[p]![s]! += energizedMwBefore(plan.site.ramp, gateMonths.energized, end);
        });
      }
    });
  }

  const periodRows = periods.map((period, p): ProcurableMonteCarloPeriod => {
    const end = ends[p]!;
    let announcedMw = 0;
    let announcedOnlineMw = 0;
    let plannedProcurableMw = 0;
    for (const site of resolved) {
      if (site.gateMonths.announced! < end) announcedMw += site.facilityMw;
      announcedOnlineMw += energizedMwBefore(site.ramp, site.gateMonths.energized, end);
      if (procurableFromMonths(site, site.gateMonths, required, atRiskBlocks) < end)
        plannedProcurableMw += energizedMwBefore(site.ramp, site.gateMonths.energized, end);
    }
    const sorted = Array.from(columns[p]!).sort((a, b) => a - b);
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      period,
      announcedMw,
      announcedOnlineMw,
      plannedProcurableMw,
      procurableMw: { mean: sum / samples, ...pct(sorted) },
    };
  });

  const siteRows = plans.map((plan, i): SiteDelaySummary => {
    const planned = procurableFromMonths(plan.site, plan.site.gateMonths, required, atRiskBlocks);
    const xs = fromSamples[i]!.sort((a, b) => a - b);
    const q = xs.length > 0 ? pct(xs) : undefined;
    const heldBy: Record<string, number> = {};
    for (const [k, n] of [...heldCounts[i]!.entries()].sort()) heldBy[k] = n / samples;
    return {
      siteId: plan.site.siteId,
      plannedProcurableFrom: Number.isFinite(planned) ? formatMonths(planned) : null,
      procurableFrom:
        q === undefined
          ? null
          : { p10: formatMonths(q.p10), p50: formatMonths(q.p50), p90: formatMonths(q.p90) },
      heldBy,
      leadTimeIds: plan.leadTimes.map((lt) => lt.id),
    };
  });

  const leadTimes = new Map<string, ProcurableMonteCarloResult['leadTimes'][number]>();
  for (const plan of plans)
    for (const lt of plan.leadTimes) {
      const months = describeUncertain(lt.months);
      leadTimes.set(`${lt.id}|${months}`, {
        id: lt.id,
        from: lt.from,
        to: lt.to,
        months,
        ref: lt.ref,
      });
    }

  return {
    basis: 'facility-mw',
    requiredGates: required,
    atRiskBlocks,
    samples,
    percentileMethod: PERCENTILE_METHOD,
    convention: CAPACITY_PERCENTILE_CONVENTION,
    periods: periodRows,
    sites: siteRows,
    leadTimes: [...leadTimes.values()],
    rng: {
      algorithm: RNG_ALGORITHM,
      seed,
      streams: plans.flatMap((plan) => plan.drawers.map((d) => d.rng.info)),
    },
  };
}
