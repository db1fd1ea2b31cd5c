import { describe, expect, it } from 'vitest';
import { chatEstimate, costOfEstimate, costOfRun, simResult } from '../test-fixtures.js';
import {
  costPerTokenOption,
  costWaterfallSteps,
  powerLevelsFromEstimate,
  powerLevelsFromRun,
  powerWaterfallSteps,
  waterfallBars,
  waterfallOption,
} from './waterfall.js';

describe('waterfall bars', () => {
  it('starts each part where the running sum stood and totals at zero', () => {
    const bars = waterfallBars([
      { label: 'a', value: 3 },
      { label: 'b', value: 2 },
      { label: 'c', value: -1 },
      { label: 'sum', value: 4, total: true },
    ]);
    expect(bars.map((b) => [b.base, b.value, b.total])).toEqual([
      [0, 3, false],
      [3, 2, false],
      [4, 1, false],
      [0, 4, true],
    ]);
  });

  it('plots the bases invisibly and the parts on top', () => {
    const o = waterfallOption(
      't',
      's',
      [
        { label: 'x', value: 5 },
        { label: 'y', value: 2 },
      ],
      {
        axis: 'W',
        format: String,
      },
    ) as { series: { data: unknown[]; itemStyle?: { color: string } }[] };
    expect(o.series[0]!.data).toEqual([0, 5]);
    expect(o.series[0]!.itemStyle!.color).toBe('transparent');
    expect((o.series[1]!.data as { value: number }[]).map((d) => d.value)).toEqual([5, 2]);
  });
});

describe('cost waterfall (POST /api/cost)', () => {
  for (const [name, report] of [
    ['estimate', costOfEstimate],
    ['run', costOfRun],
  ] as const)
    it(`adds the TCO items of the ${name} up to its hourly total`, () => {
      const point = report().deployments[0]!.points[0]!;
      const steps = costWaterfallSteps(point);
      const parts = steps.filter((s) => !s.total);
      expect(parts.map((s) => s.label)).toEqual(point.tco.waterfall.map((w) => w.item));
      const bars = waterfallBars(steps);
      const total = bars.at(-1)!;
      expect(total.total).toBe(true);
      expect(total.value).toBe(point.tco.usdPerHour);
      const last = bars.at(-2)!;
      expect(last.base + last.value).toBeCloseTo(point.tco.usdPerHour, 9);
    });

  it('plots the cost per 1M tokens of each kind', () => {
    const point = costOfEstimate().deployments[0]!.points[0]!;
    const o = costPerTokenOption(point, 'USD-2026') as { series: { data: { value: number }[] }[] };
    expect(o.series[0]!.data.map((d) => d.value)).toEqual(
      Object.values(point.costPerToken.usdPerMillion).map((m) => m.value),
    );
  });
});

describe('power waterfall chip → node → facility', () => {
  it("follows the estimate's power report", () => {
    const power = chatEstimate().deployments[0]!.classes[0]!.power;
    const steps = powerWaterfallSteps(powerLevelsFromEstimate(power));
    const totals = steps.filter((s) => s.total).map((s) => [s.label, s.value]);
    expect(totals).toEqual([
      ['node', power.nodeWattsPerReplica.value],
      ['facility', power.facilityWattsPerReplica!.value],
      ['provisioned', power.provisionedFacilityWattsPerReplica!.value],
    ]);
    const bars = waterfallBars(steps);
    expect(bars[1]!.base).toBe(power.chipWattsPerReplica.value);
    expect(bars[1]!.base + bars[1]!.value).toBeCloseTo(power.nodeWattsPerReplica.value, 9);
  });

  it("follows a run's mean power and stops at the facility", () => {
    const e = simResult().deployments[0]!.energy;
    const steps = powerWaterfallSteps(powerLevelsFromRun(e));
    expect(steps.at(-1)).toMatchObject({
      label: 'facility',
      value: e.meanPowerWatts.facility,
      total: true,
    });
    expect(steps.find((s) => s.label === 'provisioned')).toBeUndefined();
  });
});
