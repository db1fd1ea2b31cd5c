import { describe, expect, it } from 'vitest';
import { RNG_ALGORITHM } from '../core/rng.js';
import {
  constructionLeadTime,
  defaultLeadTimes,
  delayGateTimes,
  GRID_CONNECTION_LEAD_TIME,
  procurableMonteCarlo,
  SWITCHGEAR_LEAD_TIME,
  validateLeadTimes,
  type LeadTime,
} from './gate-delays.js';
import { validateSiteMilestones, type SiteMilestones } from './milestones.js';
import { planDateToMonths } from './period.js';

const ref = { source: 'test' };
const fixed = (
  id: string,
  from: LeadTime['from'],
  to: LeadTime['to'],
  value: number,
): LeadTime => ({
  id,
  from,
  to,
  months: { dist: 'fixed', value },
  ref,
});

const site: SiteMilestones = {
  siteId: 'va-1',
  facilityMw: 100,
  gates: {
    announced: { date: '2025-01', status: 'done' },
    'site-control': { date: '2025-01', status: 'done' },
    'power-confirmed': { date: '2025-07', status: 'planned' },
    financed: { date: '2026-01', status: 'planned' },
    'under-construction': { date: '2027-01', status: 'planned' },
    energized: { date: '2027-01', status: 'planned' },
  },
};

describe('gate delay propagation', () => {
  const r = validateSiteMilestones(site);
  const m = (d: string) => planDateToMonths(d);

  it('returns the planned times when nothing is drawn', () => {
    expect(delayGateTimes(r, defaultLeadTimes(100)).gateMonths).toEqual(r.gateMonths);
  });

  it('holds a gate until its lead time after the anchor has passed', () => {
    const out = delayGateTimes(r, [fixed('grid', 'site-control', 'energized', 60)], {
      leadTimeMonths: { grid: 60 },
    });
    expect(out.gateMonths.energized).toBe(m('2030-01'));
    expect(out.cause.energized).toBe('lead:grid');
  });

  it('pushes later gates down the chain when an earlier gate slips', () => {
    const out = delayGateTimes(r, [], { slipMonths: { financed: 18 } });
    expect(out.gateMonths.financed).toBe(m('2027-07'));
    expect(out.gateMonths['under-construction']).toBe(m('2027-07'));
    expect(out.gateMonths.energized).toBe(m('2027-07'));
    expect(out.cause.energized).toBe('chain');
  });

  it('anchors a lead time on the latest present gate when its own anchor is missing', () => {
    // 'permitted' is absent: the lead time starts from 'power-confirmed' (2025-07).
    const out = delayGateTimes(r, [fixed('p', 'permitted', 'energized', 24)], {
      leadTimeMonths: { p: 24 },
    });
    expect(out.gateMonths.energized).toBe(m('2027-07'));
  });

  it('never delays a done gate and ignores negative slips', () => {
    const out = delayGateTimes(r, [], {
      slipMonths: { 'site-control': 12, 'power-confirmed': -5 },
    });
    expect(out.gateMonths['site-control']).toBe(m('2025-01'));
    expect(out.gateMonths['power-confirmed']).toBe(m('2025-07'));
  });
});

describe('sourced lead times', () => {
  it('take the grid connection as lognormal, median 55 and p90 84 months, from site control', () => {
    expect(GRID_CONNECTION_LEAD_TIME.months).toEqual({ dist: 'lognormal', median: 55, p90: 84 });
    expect(GRID_CONNECTION_LEAD_TIME.from).toBe('site-control');
  });

  it('convert switchgear weeks to months (46–48 weeks ≈ 10.6–11.0 months)', () => {
    const s = SWITCHGEAR_LEAD_TIME.months as { min: number; max: number };
    expect(s.min).toBeCloseTo((46 * 7) / 30.436875, 12);
    expect(s.max).toBeCloseTo(11.04, 2);
  });

  it('pick the construction band by facility size', () => {
    expect(constructionLeadTime(20).months).toEqual({ dist: 'uniform', min: 12, max: 18 });
    expect(constructionLeadTime(100).months).toEqual({ dist: 'uniform', min: 18, max: 30 });
  });

  it('all validate, and a backwards or negative lead time is rejected', () => {
    expect(() => validateLeadTimes(defaultLeadTimes(100))).not.toThrow();
    expect(() => validateLeadTimes([fixed('b', 'energized', 'financed', 1)])).toThrow(
      /must be a gate before/,
    );
    expect(() => validateLeadTimes([fixed('n', 'financed', 'energized', -1)])).toThrow(/negative/);
    expect(() =>
      validateLeadTimes([
        fixed('d', 'financed', 'energized', 1),
        fixed('d', 'financed', 'energized', 2),
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('procurable Monte Carlo', () => {
  it('matches the uniform CDF for one site with a 0–12 month construction lead time', () => {
    // Energized planned with construction start (2027-01); construction ~ U(0, 12) months, so
    // E[MW at end of quarter k] = 100 · P(U < 3k) = 25k MW.
    const lead: LeadTime = {
      id: 'c',
      from: 'under-construction',
      to: 'energized',
      months: { dist: 'uniform', min: 0, max: 12 },
      ref,
    };
    const r = procurableMonteCarlo([site], {
      from: '2027-Q1',
      to: '2027-Q4',
      requiredGates: [],
      seed: 7,
      samples: 4000,
      leadTimes: [lead],
    });
    const means = r.periods.map((p) => p.procurableMw.mean);
    [25, 50, 75, 100].forEach((want, k) => expect(Math.abs(means[k]! - want)).toBeLessThan(3));
    expect(r.periods.map((p) => p.plannedProcurableMw)).toEqual([100, 100, 100, 100]);
    expect(r.periods[1]!.procurableMw.p10).toBe(0);
    expect(r.periods[1]!.procurableMw.p90).toBe(100);
    expect(r.sites[0]!.heldBy).toEqual({ 'energized ← lead:c': 1 });
  });

  it('draws from one stream per site and non-done gate, named plan/<site>/<gate>', () => {
    const r = procurableMonteCarlo([site], {
      from: '2027-Q1',
      to: '2027-Q1',
      requiredGates: [],
      seed: 3,
      samples: 5,
    });
    expect(r.rng).toEqual({
      algorithm: RNG_ALGORITHM,
      seed: 3,
      streams: [{ algorithm: RNG_ALGORITHM, seed: 3, stream: 'plan/va-1/energized' }],
    });
    expect(r.leadTimes.map((l) => l.id)).toEqual([
      'grid-connection',
      'switchgear',
      'generators-chillers',
      'large-transformer',
      'construction',
    ]);
  });

  it('leaves a fully done site at its planned capacity with no draws', () => {
    const done: SiteMilestones = {
      siteId: 'live',
      facilityMw: 30,
      gates: {
        announced: { date: '2024-01', status: 'done' },
        energized: { date: '2025-01', status: 'done' },
      },
    };
    const r = procurableMonteCarlo([done], {
      from: '2025-Q1',
      to: '2025-Q1',
      requiredGates: [],
      seed: 1,
      samples: 10,
    });
    expect(r.rng.streams).toEqual([]);
    expect(r.periods[0]!.procurableMw).toEqual({ mean: 30, p10: 30, p50: 30, p90: 30 });
  });

  it('with the default lead times, puts a 100 MW site planned two years after site control years later', () => {
    const r = procurableMonteCarlo([site], {
      from: '2027-Q1',
      to: '2033-Q4',
      requiredGates: [],
      seed: 42,
      samples: 2000,
    });
    const s = r.sites[0]!;
    expect(s.plannedProcurableFrom).toBe('2027-01');
    // Grid connection median 55 months after 2025-01 → about 2029-08.
    expect(s.procurableFrom!.p50 >= '2029-06' && s.procurableFrom!.p50 <= '2029-10').toBe(true);
    expect(
      s.procurableFrom!.p10 <= s.procurableFrom!.p50 &&
        s.procurableFrom!.p50 <= s.procurableFrom!.p90,
    ).toBe(true);
    // Seed 42, 2000 samples: grid connection binds in 67.5% of samples, construction in 30.2%.
    expect(s.procurableFrom).toEqual({ p10: '2028-11', p50: '2029-08', p90: '2031-12' });
    expect(s.heldBy['energized ← lead:grid-connection']).toBeCloseTo(0.675, 3);
    expect(s.heldBy['energized ← lead:construction']).toBeCloseTo(0.302, 3);
    expect(r.convention).toMatch(/P10 is pessimistic/);
  });

  it('keeps a site with a missing required gate out of every sample', () => {
    const r = procurableMonteCarlo([site], {
      from: '2027-Q1',
      to: '2030-Q4',
      requiredGates: ['permitted'],
      seed: 1,
      samples: 20,
    });
    expect(r.periods.every((p) => p.procurableMw.p90 === 0)).toBe(true);
    expect(r.sites[0]!.procurableFrom).toBeNull();
    expect(r.sites[0]!.plannedProcurableFrom).toBeNull();
  });

  it('rejects a non-integer seed and zero samples', () => {
    const o = { from: '2027-Q1' as const, to: '2027-Q1' as const, requiredGates: [] };
    expect(() => procurableMonteCarlo([site], { ...o, seed: 1.5, samples: 10 })).toThrow(/seed/);
    expect(() => procurableMonteCarlo([site], { ...o, seed: 1, samples: 0 })).toThrow(/samples/);
  });
});
