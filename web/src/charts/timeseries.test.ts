import { describe, expect, it } from 'vitest';
import { simResult } from '../test-fixtures.js';
import {
  kvChartOption,
  loadChartOption,
  niceCeil,
  powerChartOption,
  replicasChartOption,
  seriesPoints,
} from './timeseries.js';

type Series = {
  name: string;
  data: [number, number][];
  yAxisIndex?: number;
  markLine?: { data: { name: string; yAxis: number }[] };
};
const seriesOf = (o: unknown): Series[] => (o as { series: Series[] }).series;

describe('time-series charts of a run', () => {
  const r = simResult();
  const d = r.deployments[0]!;
  const ts = d.timeSeries;

  it('places each interval at its midpoint with its value', () => {
    const pts = seriesPoints(ts, ts.series.kvOccupancy!);
    expect(pts).toHaveLength(ts.series.kvOccupancy!.length);
    pts.forEach(([t, v], i) => {
      expect(t).toBeCloseTo(ts.startSeconds + (i + 0.5) * ts.intervalSeconds, 9);
      expect(v).toBe(ts.series.kvOccupancy![i]);
    });
    expect(pts.at(-1)![0]).toBeLessThan(ts.endSeconds);
  });

  it('plots load gauges on the left axis and output tok/s on the right', () => {
    const s = seriesOf(loadChartOption(ts, r.simulation.warmupSeconds));
    const byName = new Map(s.map((x) => [x.name, x]));
    expect(byName.get('requests in system')!.data.map((p) => p[1])).toEqual(
      ts.series.inSystemRequests,
    );
    expect(byName.get('waiting')!.data.map((p) => p[1])).toEqual(ts.series.waitingRequests);
    const out = byName.get('output tok/s')!;
    expect(out.yAxisIndex).toBe(1);
    expect(out.data.map((p) => p[1])).toEqual(ts.ratesPerSecond.outputTokens);
    expect(out.data.some((p) => p[1] > 0)).toBe(true);
  });

  it('shows KV occupancy with the window mean', () => {
    const o = kvChartOption(ts, r.simulation.warmupSeconds, d.utilization);
    const s = seriesOf(o)[0]!;
    expect(s.data.map((p) => p[1])).toEqual(ts.series.kvOccupancy);
    expect(s.markLine!.data[0]!.yAxis).toBe(d.utilization.kvOccupancyMean);
  });

  it('shows chip power with chip, node and facility means, all within the axis', () => {
    const o = powerChartOption(ts, r.simulation.warmupSeconds, d.energy) as {
      yAxis: { max: number };
    };
    const s = seriesOf(o)[0]!;
    expect(s.data.map((p) => p[1])).toEqual(ts.series.chipPowerWatts);
    const marks = s.markLine!.data.map((m) => m.yAxis);
    expect(marks).toEqual([
      d.energy.meanPowerWatts.chip,
      d.energy.meanPowerWatts.node,
      d.energy.meanPowerWatts.facility,
    ]);
    expect(o.yAxis.max).toBeGreaterThanOrEqual(Math.max(...marks, ...ts.series.chipPowerWatts!));
  });

  it('draws replicas only when they change', () => {
    expect(replicasChartOption(ts, 0)).toBeNull();
    const up = ts.series.replicasUp!.map((v, i) => (i === 3 ? v - 1 : v));
    const varied = { ...ts, series: { ...ts.series, replicasUp: up } };
    const s = seriesOf(replicasChartOption(varied, 0));
    expect(s[0]!.data.map((p) => p[1])).toEqual(up);
  });

  it('rounds axis tops up to a nice step × 10^k', () => {
    expect(niceCeil(11196)).toBe(12000);
    expect(niceCeil(2400)).toBe(2500);
    expect(niceCeil(5000)).toBe(5000);
    expect(niceCeil(0.0731)).toBeCloseTo(0.08, 12);
    expect(niceCeil(0)).toBe(1);
  });
});
