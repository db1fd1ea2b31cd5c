import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delayGateTimes, procurableMonteCarlo, type LeadTime } from './gate-delays.js';
import {
  GATES,
  validateSiteMilestones,
  type Gate,
  type GateMilestone,
  type SiteMilestones,
} from './milestones.js';
import { formatMonths, periodEndMonths, periodRange, type Period } from './period.js';
import { normalizeRequiredGates, procurableMwAt, procurableTimeline } from './procurable.js';

/** Site A: 100 MW, ramp 50 + 50; site B: 50 MW, no utility agreement on record. */
const siteA: SiteMilestones = {
  siteId: 'A',
  facilityMw: 100,
  gates: {
    announced: { date: '2025-Q1', status: 'done' },
    'site-control': { date: '2025-Q2', status: 'done' },
    'power-confirmed': { date: '2026-Q1', status: 'planned', confidence: 0.8 },
    permitted: { date: '2026-Q2', status: 'planned' },
    financed: { date: '2026-Q3', status: 'at-risk', confidence: 0.5 },
    'under-construction': { date: '2026-Q3', status: 'planned' },
    energized: { date: '2027-Q3', status: 'planned', confidence: 0.6 },
  },
  ramp: [
    { date: '2027-Q3', facilityMw: 50 },
    { date: '2028-Q1', facilityMw: 50 },
  ],
};
const siteB: SiteMilestones = {
  siteId: 'B',
  facilityMw: 50,
  gates: {
    announced: { date: '2026-Q2', status: 'done' },
    energized: { date: '2027-01-15', status: 'planned' },
  },
};
const strict: Gate[] = ['power-confirmed', 'permitted', 'financed'];

describe('procurable timeline (hand-built)', () => {
  const t = procurableTimeline([siteA, siteB], {
    from: '2026-Q4',
    to: '2028-Q1',
    requiredGates: strict,
  });
  const at = (p: Period) => t.periods.find((r) => r.period === p)!;

  it('lists every quarter from..to and the required gates in order with energized', () => {
    expect(t.periods.map((r) => r.period)).toEqual(periodRange('2026-Q4', '2028-Q1'));
    expect(t.requiredGates).toEqual(['power-confirmed', 'permitted', 'financed', 'energized']);
    expect(t.basis).toBe('facility-mw');
  });

  it('counts announced MW from each announced date, whatever the gates', () => {
    expect(t.periods.map((r) => r.announcedMw)).toEqual([150, 150, 150, 150, 150, 150]);
    const early = procurableTimeline([siteA, siteB], {
      from: '2026-Q1',
      to: '2026-Q2',
      requiredGates: [],
    });
    expect(early.periods.map((r) => r.announcedMw)).toEqual([100, 150]);
  });

  it('counts announced-online MW along the planned ramps', () => {
    // 2026-Q4 0; 2027-Q1 B 50; Q2 50; Q3 +A 50; Q4 100; 2028-Q1 +A 50.
    expect(t.periods.map((r) => r.announcedOnlineMw)).toEqual([0, 50, 50, 100, 100, 150]);
  });

  it('counts procurable MW only for sites past the required gates, per ramp tranche', () => {
    expect(t.periods.map((r) => r.procurableMw)).toEqual([0, 0, 0, 50, 50, 100]);
  });

  it('names the gate that holds each site back', () => {
    expect(at('2026-Q4').sites[0]!.heldBy).toEqual({
      gate: 'energized',
      reason: 'not-yet',
      date: '2027-Q3',
      status: 'planned',
      confidence: 0.6,
    });
    expect(at('2027-Q1').sites[1]!.heldBy).toEqual({ gate: 'power-confirmed', reason: 'missing' });
    expect(at('2027-Q3').sites[0]!.heldBy).toEqual({
      gate: 'energized',
      reason: 'ramping',
      date: '2027-Q3',
      status: 'planned',
    });
    expect(at('2028-Q1').sites[0]!.heldBy).toBeNull();
  });

  it('holds a site at a not-yet-announced gate before its announcement', () => {
    const early = procurableTimeline([siteB], {
      from: '2026-Q1',
      to: '2026-Q1',
      requiredGates: [],
    });
    expect(early.periods[0]!.sites[0]!.heldBy).toMatchObject({
      gate: 'announced',
      reason: 'not-yet',
    });
  });

  it('counts a site with no gates required beyond energization from its energized date', () => {
    const loose = procurableTimeline([siteA, siteB], {
      from: '2026-Q4',
      to: '2028-Q1',
      requiredGates: [],
    });
    expect(loose.periods.map((r) => r.procurableMw)).toEqual([0, 50, 50, 100, 100, 150]);
  });

  it('blocks an at-risk required gate only when asked', () => {
    const blocked = procurableTimeline([siteA], {
      from: '2028-Q1',
      to: '2028-Q1',
      requiredGates: strict,
      atRiskBlocks: true,
    });
    expect(blocked.periods[0]!.procurableMw).toBe(0);
    expect(blocked.periods[0]!.sites[0]!.heldBy).toMatchObject({
      gate: 'financed',
      reason: 'at-risk',
      confidence: 0.5,
    });
  });

  it('rejects an unknown gate name', () => {
    expect(() => normalizeRequiredGates(['permit' as Gate])).toThrow(/unknown gate 'permit'/);
  });
});

// ---- property tests -------------------------------------------------------------------------

const BASE = 2024 * 12; // 2024-01

/** A random valid site: increasing gate dates from 2024-01, a done prefix, optional ramp. */
const siteArb = (siteId: string): fc.Arbitrary<SiteMilestones> =>
  fc
    .record({
      facilityMw: fc.integer({ min: 1, max: 500 }),
      present: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      steps: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
      doneCount: fc.integer({ min: 0, max: 7 }),
      atRisk: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
      tranches: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 0, maxLength: 3 }),
    })
    .map(({ facilityMw, present, steps, doneCount, atRisk, tranches }) => {
      const gates: Partial<Record<Gate, GateMilestone>> = {};
      let t = BASE;
      let n = 0;
      GATES.forEach((g, i) => {
        t += steps[i]!;
        if (i > 0 && !present[i]) return;
        gates[g] = {
          date: formatMonths(t),
          status: n < doneCount ? 'done' : atRisk[i] ? 'at-risk' : 'planned',
        };
        n++;
      });
      const site: SiteMilestones = { siteId, facilityMw, gates };
      if (gates.energized !== undefined && tranches.length > 0) {
        let d = t;
        site.ramp = tranches.map((step, k) => {
          d += step;
          const mw = k < tranches.length - 1 ? facilityMw / (tranches.length + 1) : 0;
          return { date: formatMonths(d), facilityMw: mw };
        });
        const rest = facilityMw - site.ramp.reduce((s, r) => s + r.facilityMw, 0);
        site.ramp[site.ramp.length - 1]!.facilityMw = rest;
      }
      return site;
    });

const sitesArb = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => siteArb(`s${i}`))));
const gateSetArb = fc.subarray([...GATES]);
const window = { from: '2024-Q1' as Period, to: '2027-Q4' as Period };

describe('procurable capacity (properties)', () => {
  it('a stricter gate list never raises procurable capacity at any period', () => {
    fc.assert(
      fc.property(
        sitesArb,
        gateSetArb,
        gateSetArb,
        fc.boolean(),
        (sites, a, extra, atRiskBlocks) => {
          const loose = procurableTimeline(sites, { ...window, requiredGates: a, atRiskBlocks });
          const tight = procurableTimeline(sites, {
            ...window,
            requiredGates: [...a, ...extra],
            atRiskBlocks,
          });
          loose.periods.forEach((row, p) => {
            expect(tight.periods[p]!.procurableMw).toBeLessThanOrEqual(row.procurableMw);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('announced ≥ announced-online ≥ procurable at every period', () => {
    fc.assert(
      fc.property(sitesArb, gateSetArb, fc.boolean(), (sites, req, atRiskBlocks) => {
        const t = procurableTimeline(sites, { ...window, requiredGates: req, atRiskBlocks });
        for (const row of t.periods) {
          expect(row.announcedOnlineMw).toBeLessThanOrEqual(row.announcedMw + 1e-9);
          expect(row.procurableMw).toBeLessThanOrEqual(row.announcedOnlineMw + 1e-9);
          expect(row.procurableMw).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('delays never raise procurable capacity at any period', () => {
    const leadTimes: LeadTime[] = [
      {
        id: 'x',
        from: 'announced',
        to: 'permitted',
        months: { dist: 'fixed', value: 0 },
        ref: { source: 'test' },
      },
      {
        id: 'y',
        from: 'site-control',
        to: 'energized',
        months: { dist: 'fixed', value: 0 },
        ref: { source: 'test' },
      },
    ];
    const slipArb = fc.array(fc.double({ min: -6, max: 24, noNaN: true }), {
      minLength: 7,
      maxLength: 7,
    });
    fc.assert(
      fc.property(
        siteArb('s'),
        gateSetArb,
        slipArb,
        fc.double({ min: 0, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 60, noNaN: true }),
        (site, req, slips, x, y) => {
          const r = validateSiteMilestones(site);
          const slipMonths: Partial<Record<Gate, number>> = {};
          GATES.forEach((g, i) => (slipMonths[g] = slips[i]!));
          const delayed = delayGateTimes(r, leadTimes, {
            slipMonths,
            leadTimeMonths: { x, y },
          }).gateMonths;
          const required = normalizeRequiredGates(req);
          for (const p of periodRange('2024-Q1', '2030-Q4')) {
            const endMonths = periodEndMonths(p);
            const planned = procurableMwAt(r, r.gateMonths, { required, endMonths });
            expect(procurableMwAt(r, delayed, { required, endMonths })).toBeLessThanOrEqual(
              planned,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Monte Carlo is reproducible with a fixed seed, ordered P10 ≤ P50 ≤ P90, and below the plan', () => {
    fc.assert(
      fc.property(sitesArb, gateSetArb, fc.integer({ min: 0, max: 1000 }), (sites, req, seed) => {
        const opts = { ...window, requiredGates: req, seed, samples: 40 };
        const a = procurableMonteCarlo(sites, opts);
        expect(procurableMonteCarlo(sites, opts)).toEqual(a);
        for (const row of a.periods) {
          const q = row.procurableMw;
          expect(q.p10).toBeLessThanOrEqual(q.p50);
          expect(q.p50).toBeLessThanOrEqual(q.p90);
          expect(q.p90).toBeLessThanOrEqual(row.plannedProcurableMw + 1e-9);
          expect(row.plannedProcurableMw).toBeLessThanOrEqual(row.announcedMw + 1e-9);
        }
      }),
      { numRuns: 30 },
    );
  });
});
