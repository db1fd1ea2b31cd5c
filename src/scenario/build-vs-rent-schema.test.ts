import { describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import { parseBuildVsRentObject } from './build-vs-rent-schema.js';

const minimal = {
  name: 'x',
  horizonYears: 2,
  replica: { description: 'r', gpusPerReplica: 8, capacityAtSloOutputTokensPerSecond: 1000 },
  demand: {
    unit: 'replicas',
    profile: {
      baseline: 2,
      diurnalAmplitude: 0.3,
      weeklyAmplitude: 0.1,
      annualGrowth: 0.5,
      noiseCv: 0,
    },
  },
};

const issuesOf = (obj: unknown) => {
  try {
    parseBuildVsRentObject(obj, 'in.yaml');
  } catch (e) {
    return (e as AifError).issues;
  }
  return [];
};

describe('parseBuildVsRentObject', () => {
  it('accepts a minimal file', () => {
    expect(parseBuildVsRentObject(minimal, 'in.yaml').horizonYears).toBe(2);
  });

  it('names the field, the value and the expectation of a bad number', () => {
    const issues = issuesOf({ ...minimal, own: { residualValueShare: 1.5 } });
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'own.residualValueShare',
        value: 1.5,
        expected: 'a number in [0, 1]',
      }),
    ]);
  });

  it('rejects an unknown field', () => {
    const issues = issuesOf({ ...minimal, onDemand: { usdPerGpuHr: 2 } });
    expect(issues[0]).toMatchObject({
      path: 'onDemand.usdPerGpuHr',
      message: "unknown field 'usdPerGpuHr'",
    });
  });

  it('rejects a period that does not divide a year', () => {
    expect(issuesOf({ ...minimal, periodMonths: 5 })[0]).toMatchObject({
      path: 'periodMonths',
      value: 5,
    });
  });

  it('requires exactly one of profile or hourly demand', () => {
    const issues = issuesOf({ ...minimal, demand: { unit: 'replicas' } });
    expect(issues[0]).toMatchObject({ path: 'demand.profile', expected: 'profile or hourly' });
  });
});
