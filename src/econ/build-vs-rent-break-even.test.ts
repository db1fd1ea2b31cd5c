import { describe, expect, it } from 'vitest';
import { breakEvenUtilization, discountedLifeYears } from './build-vs-rent-break-even.js';
import { evaluatePortfolio, type Portfolio } from './build-vs-rent-evaluate.js';
import type { BuildVsRentProblem } from './build-vs-rent-model.js';

const inputs = {
  capexUsdPerReplica: 300_000,
  fixedOpexUsdPerReplicaHour: 2.5,
  energyUsdPerBusyReplicaHour: 0.6,
  usefulLifeYears: 4,
  discountRatePerYear: 0.08,
  onDemandUsdPerReplicaHour: 24,
};

/** One replica's worth of constant demand u for the whole life, one block per year. */
function problemAt(u: number): BuildVsRentProblem {
  return {
    currencyYear: 'USD-2026',
    discountRatePerYear: inputs.discountRatePerYear,
    periodMonths: 12,
    periods: [0, 1, 2, 3].map((i) => ({
      index: i,
      startYears: i,
      peakDemand: u,
      blocks: [{ hours: 8760, meanDemand: u, peakDemand: u, minDemand: u }],
    })),
    own: {
      capexUsdPerReplica: inputs.capexUsdPerReplica,
      fixedOpexUsdPerReplicaHour: inputs.fixedOpexUsdPerReplicaHour,
      energyUsdPerBusyReplicaHour: inputs.energyUsdPerBusyReplicaHour,
      usefulLifeYears: 4,
      leadTimeMonths: 0,
      residualValueShare: 0,
      capexChangePerYear: 0,
    },
    reserved: [],
    hourly: [{ name: 'on-demand', kind: 'on-demand', usdPerReplicaHour: 24, deliveredFraction: 1 }],
    rentPriceChangePerYear: 0,
  };
}

describe('breakEvenUtilization', () => {
  it('is the utilization at which owning one replica and renting it on demand cost the same', () => {
    const u = breakEvenUtilization(inputs);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThan(1);
    const pr = problemAt(u);
    const zeros = () => [[0], [0], [0], [0]];
    const owned: Portfolio = {
      ownedAdded: [1, 0, 0, 0],
      reservedAdded: {},
      ownedServed: [[u], [u], [u], [u]],
      hourlyRented: { 'on-demand': zeros() },
    };
    const rented: Portfolio = {
      ownedAdded: [0, 0, 0, 0],
      reservedAdded: {},
      ownedServed: zeros(),
      hourlyRented: { 'on-demand': [[u], [u], [u], [u]] },
    };
    const own = evaluatePortfolio(pr, owned);
    const rent = evaluatePortfolio(pr, rented);
    expect(own.feasible && rent.feasible).toBe(true);
    expect(own.npvUsd / rent.npvUsd).toBeCloseTo(1, 12);
    // Above break-even owning is cheaper.
    const v = Math.min(1, u * 1.2);
    const own2 = evaluatePortfolio(problemAt(v), { ...owned, ownedServed: [[v], [v], [v], [v]] });
    const rent2 = evaluatePortfolio(problemAt(v), {
      ...rented,
      hourlyRented: { 'on-demand': [[v], [v], [v], [v]] },
    });
    expect(own2.npvUsd).toBeLessThan(rent2.npvUsd);
  });

  it('uses the closed-form geometric sum for the discounted life', () => {
    let s = 0;
    for (let y = 0; y < 4; y++) s += Math.pow(1.08, -(y + 0.5));
    expect(discountedLifeYears(inputs)).toBeCloseTo(s, 12);
    expect(discountedLifeYears({ ...inputs, discountRatePerYear: 0 })).toBe(4);
  });

  it('is infinite when renting costs no more than owned energy', () => {
    expect(breakEvenUtilization({ ...inputs, onDemandUsdPerReplicaHour: 0.5 })).toBe(Infinity);
  });
});
