import { beforeAll, describe, expect, it } from 'vitest';
import type { LpSolver } from '../core/lp.js';
import { createHighsSolver } from '../solver/highs.js';
import {
  analyseBuildVsRent,
  prepareBuildVsRentProblem,
  type BuildVsRentInputs,
} from './build-vs-rent.js';
import { dispatchHourly } from './build-vs-rent-dispatch.js';
import { evaluatePortfolio } from './build-vs-rent-evaluate.js';
import { buildVsRentLp } from './build-vs-rent-lp.js';
import { generateDemandProfile } from './demand-profile.js';

let solver: LpSolver;
beforeAll(async () => {
  solver = await createHighsSolver();
});

/** 2 years, 4 blocks a year, own + reserved-1y + on-demand; peak ≈ 4 replicas. */
const small: BuildVsRentInputs = {
  name: 'small',
  currencyYear: 'USD-2026',
  discountRatePerYear: 0.08,
  periodMonths: 12,
  blocksPerPeriod: 4,
  demandReplicasPerHour: generateDemandProfile({
    baseline: 2,
    diurnalAmplitude: 0.4,
    weeklyAmplitude: 0.1,
    annualGrowth: 0.4,
    noiseCv: 0.05,
    seed: 3,
    years: 2,
  }),
  own: {
    capexUsdPerReplica: 150_000,
    fixedOpexUsdPerReplicaHour: 2,
    energyUsdPerBusyReplicaHour: 0.8,
    usefulLifeYears: 4,
    leadTimeMonths: 0,
    residualValueShare: 0.6,
    capexChangePerYear: 0,
  },
  reserved: [{ name: 'reserved-1y', termYears: 1, upfrontShare: 0, usdPerReplicaHour: 13 }],
  hourly: [{ name: 'on-demand', kind: 'on-demand', usdPerReplicaHour: 20, deliveredFraction: 1 }],
  rentPriceChangePerYear: -0.05,
  ownedFractionSteps: 4,
  workload: 'test',
  source: 'test fixture',
};

/** Enumerate every whole-replica owned/reserved decision within the LP's bounds. */
function bruteForce(inputs: BuildVsRentInputs) {
  const pr = prepareBuildVsRentProblem(inputs);
  const upper = Math.ceil(Math.max(...pr.periods.map((p) => p.peakDemand)));
  let best = { npvUsd: Infinity, own: [0, 0], res: [0, 0] };
  for (let o0 = 0; o0 <= upper; o0++)
    for (let o1 = 0; o1 <= upper; o1++)
      for (let r0 = 0; r0 <= upper; r0++)
        for (let r1 = 0; r1 <= upper; r1++) {
          const d = dispatchHourly(pr, {
            ownedAdded: [o0, o1],
            reservedAdded: { 'reserved-1y': [r0, r1] },
          });
          const c = evaluatePortfolio(pr, d.portfolio);
          if (c.feasible && c.npvUsd < best.npvUsd)
            best = { npvUsd: c.npvUsd, own: [o0, o1], res: [r0, r1] };
        }
  return best;
}

describe('analyseBuildVsRent', () => {
  it('finds the same optimum as brute force over all whole-replica portfolios', () => {
    const best = bruteForce(small);
    const report = analyseBuildVsRent(small, solver);
    expect(report.optimum.feasible).toBe(true);
    expect(report.optimum.npv.value / best.npvUsd).toBeCloseTo(1, 7);
    // A genuine mix: some owned, some rented.
    expect(report.optimum.mix.servedShareBySource['own']).toBeGreaterThan(0);
    expect(report.optimum.mix.servedShareBySource['own']).toBeLessThan(1);
  });

  it('prices the LP optimum exactly as the evaluator does', () => {
    const pr = prepareBuildVsRentProblem(small);
    const lp = buildVsRentLp(pr);
    const s = solver.solve(lp.problem);
    const cost = evaluatePortfolio(pr, lp.decode(s));
    expect(cost.feasible).toBe(true);
    expect(cost.npvUsd / s.objectiveValue).toBeCloseTo(1, 9);
    const sum = Object.values(cost.npvUsdByOptionByYear)
      .flat()
      .reduce((a, b) => a + b, 0);
    expect(sum / cost.npvUsd).toBeCloseTo(1, 12);
  });

  it('ranks the optimum at or below every pure option', () => {
    const report = analyseBuildVsRent(small, solver);
    for (const r of report.ranking)
      expect(report.optimum.npv.value).toBeLessThanOrEqual(r.npv.value + 1e-6);
    expect(report.ranking.map((r) => r.name)).toEqual(
      expect.arrayContaining(['optimum', 'own-for-peak', 'all on-demand', 'all reserved']),
    );
    expect(report.cheapest).toBe('optimum');
    expect(report.optimum.npv.basis.currencyYear).toBe('USD-2026');
  });

  it('traces cost against owned fraction from all-rented to own-for-peak', () => {
    const report = analyseBuildVsRent(small, solver);
    const pts = report.costVsOwnedFraction.points;
    expect(pts.map((p) => p.ownedFraction)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Math.min(...pts.map((p) => p.npvUsd))).toBeGreaterThanOrEqual(
      report.optimum.npv.value - 1e-6,
    );
  });

  it('splits every block of the load-duration curve into sources that add up to demand', () => {
    const report = analyseBuildVsRent(small, solver);
    expect(report.loadDuration).toHaveLength(8);
    for (const row of report.loadDuration) {
      const rented = Object.values(row.rentedReplicasByOption).reduce((a, b) => a + b, 0);
      expect(row.ownedReplicas + row.reservedReplicas + rented).toBeCloseTo(row.demandReplicas, 6);
    }
  });

  it('delays owned capacity by the lead time', () => {
    const late = { ...small, own: { ...small.own!, leadTimeMonths: 12 } };
    const report = analyseBuildVsRent(late, solver);
    expect(report.optimum.portfolio.ownedAdded[0]).toBe(0);
  });
});
