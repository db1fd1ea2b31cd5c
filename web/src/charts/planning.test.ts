import { describe, expect, it } from 'vitest';
import { buildVsRent, claimValidation, planReport } from '../test-fixtures.js';
import { costVsOwnedOption, loadDurationOption, rankingOption } from './buildVsRent.js';
import { capacityOption, servedOption } from './capacity.js';
import { claimRatioOption } from './claims.js';
import { logBounds } from './common.js';

type S = { name: string; data: unknown[]; stack?: string };
const seriesOf = (o: unknown) => (o as { series: S[] }).series;
const byName = (o: unknown, name: string) => seriesOf(o).find((s) => s.name === name)!;

describe('capacity timeline (POST /api/plans)', async () => {
  const plan = await planReport();

  it('plots announced and procurable MW per quarter, side by side', () => {
    const o = capacityOption(plan);
    expect((o as { xAxis: { data: string[] } }).xAxis.data).toEqual(plan.periods);
    expect(byName(o, 'announced MW').data).toEqual(plan.timeline.map((t) => t.announcedMw));
    expect(byName(o, 'procurable MW (as planned)').data).toEqual(
      plan.timeline.map((t) => t.procurableMw),
    );
    expect(byName(o, 'announced MW').stack).toBeUndefined();
  });

  it('draws the Monte Carlo band from P10 to P90', () => {
    const o = capacityOption(plan);
    const mc = plan.monteCarlo!.periods;
    const lo = byName(o, 'P10').data as number[];
    const width = byName(o, 'procurable P10–P90 (Monte Carlo)').data as number[];
    mc.forEach((p, i) => {
      expect(lo[i]).toBe(p.procurableMw.p10);
      expect(lo[i]! + width[i]!).toBe(p.procurableMw.p90);
    });
  });

  it('plots demand and served tokens per quarter', () => {
    const o = servedOption(plan);
    expect(byName(o, 'served tok/s').data).toEqual(
      plan.timeline.map((t) => t.servedTokensPerSecond),
    );
    expect(byName(o, 'USD per 1M output tokens').data).toEqual(
      plan.timeline.map((t) => t.usdPerMillionOutputTokens),
    );
  });
});

describe('build vs rent (POST /api/build-vs-rent)', async () => {
  const { report } = await buildVsRent();

  it('plots NPV against the owned fraction with the optimum', () => {
    const o = costVsOwnedOption(report);
    expect(byName(o, 'NPV (feasible)').data).toEqual(
      report.costVsOwnedFraction.points.map((p) => [p.ownedFraction, p.feasible ? p.npvUsd : null]),
    );
    expect(byName(o, 'MILP optimum').data).toEqual([
      [report.optimum.mix.ownedFractionOfPeak, report.optimum.npv.value],
    ]);
  });

  it('stacks the sources of each load-duration block up to what was served', () => {
    const o = loadDurationOption(report);
    const stacked = seriesOf(o).filter((s) => s.stack === 'served');
    report.loadDuration.forEach((row, i) => {
      const sum = stacked.reduce((acc, s) => acc + (s.data[i] as number), 0);
      const served =
        row.ownedReplicas +
        row.reservedReplicas +
        Object.values(row.rentedReplicasByOption).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(served, 9);
    });
    expect(byName(o, 'demand').data).toEqual(report.loadDuration.map((r) => r.demandReplicas));
  });

  it('ranks every strategy on a log axis that holds them all', () => {
    const o = rankingOption(report) as { xAxis: { min: number; max: number }; series: S[] };
    const values = report.ranking.map((r) => r.npv.value);
    expect((o.series[0]!.data as { value: number }[]).map((d) => d.value)).toEqual(values);
    expect(o.xAxis.min).toBeLessThanOrEqual(Math.min(...values));
    expect(o.xAxis.max).toBeGreaterThanOrEqual(Math.max(...values));
  });
});

describe('claim validation (POST /api/claims/:id/validate)', () => {
  it("plots the model's ratios per interactivity with the claimed value in range", () => {
    const v = claimValidation();
    const o = claimRatioOption(v) as { yAxis: { min: number; max: number }; series: S[] };
    const eq = v.rows.filter((r) => r.group === 'equal-precision');
    expect(o.series[0]!.data).toEqual(
      eq.map((r) => [r.interactivityTokensPerSecondPerUser, r.ratio ?? null]),
    );
    expect(o.yAxis.max).toBeGreaterThanOrEqual(v.claimedValue);
  });

  it('bounds log axes by powers of ten', () => {
    expect(logBounds([13.8e6, 507e6])).toEqual({ min: 1e7, max: 1e9 });
    expect(logBounds([0, -1])).toBeUndefined();
  });
});
