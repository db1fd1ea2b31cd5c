import { describe, expect, it } from 'vitest';
import {
  energizedMwBefore,
  validateSiteMilestones,
  validateSites,
  type SiteMilestones,
} from './milestones.js';
import { planDateToMonths } from './period.js';

const site = (over: Partial<SiteMilestones> = {}): SiteMilestones => ({
  siteId: 'va-1',
  facilityMw: 100,
  gates: {
    announced: { date: '2025-Q1', status: 'done' },
    'site-control': { date: '2025-Q2', status: 'done' },
    'power-confirmed': { date: '2026-Q1', status: 'planned', confidence: 0.7 },
    energized: { date: '2027-Q3', status: 'planned' },
  },
  ...over,
});

describe('site milestones', () => {
  it('puts present gates on the month axis and defaults the ramp to one tranche at energization', () => {
    const r = validateSiteMilestones(site());
    expect(r.gateMonths.energized).toBe(planDateToMonths('2027-Q3'));
    expect(r.gateMonths.permitted).toBeUndefined();
    expect(r.ramp).toEqual([{ offsetMonths: 0, facilityMw: 100 }]);
  });

  it('turns ramp tranches into offsets after the energized date', () => {
    const r = validateSiteMilestones(
      site({
        ramp: [
          { date: '2027-Q3', facilityMw: 40 },
          { date: '2028-Q1', facilityMw: 60 },
        ],
      }),
    );
    expect(r.ramp).toEqual([
      { offsetMonths: 0, facilityMw: 40 },
      { offsetMonths: 6, facilityMw: 60 },
    ]);
    const e = r.gateMonths.energized!;
    expect(energizedMwBefore(r.ramp, e, e)).toBe(0);
    expect(energizedMwBefore(r.ramp, e, e + 3)).toBe(40);
    expect(energizedMwBefore(r.ramp, e, e + 9)).toBe(100);
  });

  it('requires the announced gate', () => {
    const gates = { ...site().gates };
    delete gates.announced;
    expect(() => validateSiteMilestones(site({ gates }))).toThrow(/'announced' gate is required/);
  });

  it('rejects gates dated out of order', () => {
    const gates = { ...site().gates, permitted: { date: '2025-Q4', status: 'planned' as const } };
    expect(() => validateSiteMilestones(site({ gates }))).toThrow(
      /'permitted' .* dated before 'power-confirmed'/,
    );
  });

  it('rejects a done gate after a gate that is not done', () => {
    const gates = { ...site().gates, energized: { date: '2027-Q3', status: 'done' as const } };
    expect(() => validateSiteMilestones(site({ gates }))).toThrow(
      /'energized' is done but earlier gate/,
    );
  });

  it('rejects a ramp that does not sum to the facility MW or starts before energization', () => {
    expect(() =>
      validateSiteMilestones(site({ ramp: [{ date: '2027-Q3', facilityMw: 90 }] })),
    ).toThrow(/sum to 90 MW/);
    expect(() =>
      validateSiteMilestones(site({ ramp: [{ date: '2027-Q2', facilityMw: 100 }] })),
    ).toThrow(/before the energized date/);
  });

  it('rejects confidence outside [0, 1], a non-positive capacity, a slash in the id and duplicate ids', () => {
    const gates = {
      ...site().gates,
      energized: { date: '2027-Q3', status: 'planned' as const, confidence: 1.5 },
    };
    expect(() => validateSiteMilestones(site({ gates }))).toThrow(/confidence/);
    expect(() => validateSiteMilestones(site({ facilityMw: 0 }))).toThrow(/facilityMw/);
    expect(() => validateSiteMilestones(site({ siteId: 'a/b' }))).toThrow(/siteId/);
    expect(() => validateSites([site(), site()])).toThrow(/duplicate siteId 'va-1'/);
  });
});
