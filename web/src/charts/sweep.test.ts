/**
 * The Sweeps view's builders on real SweepResults: the grid of test/fixtures/sweep/
 * inline-grid.yaml and a capacity search on its base, run by the sweep driver with every point
 * simulated as the in-process executor's `simulate` job does it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import gridYaml from '../../../test/fixtures/sweep/inline-grid.yaml?raw';
import { engineVersion } from '../../../src/app/engine-version.js';
import { defaultCatalog } from '../../../src/catalog/catalog.js';
import { runJobToJson } from '../../../src/jobs/handlers.js';
import { BUILTIN_CALIBRATION } from '../../../src/perf/calibration-data.js';
import { prepareSweep } from '../../../src/sweep/points.js';
import { runSweep, type SweepResult } from '../../../src/sweep/run.js';
import { parseSweepSpecObject } from '../../../src/sweep/spec.js';
import {
  GOODPUT,
  INFEASIBLE_GREY,
  paretoAxes,
  sweepCapacityOption,
  sweepColumns,
  sweepBasis,
  sweepParetoOption,
  sweepRows,
} from './sweep.js';

const catalog = defaultCatalog();

/** Run a spec (base inline) to its SweepResult, each point simulated in this thread. */
async function sweepOf(data: unknown): Promise<SweepResult> {
  const spec = parseSweepSpecObject(data, 'spec.yaml');
  const prep = prepareSweep(spec, spec.base, {
    engineVersion: engineVersion(catalog, BUILTIN_CALIBRATION),
    catalog,
    basePath: 'base',
  });
  return runSweep(
    prep,
    async (points) =>
      points.map((p) => ({
        resultJson: runJobToJson(
          { kind: 'simulate', payload: { scenario: p.scenario, seed: p.seed } },
          { reportProgress: () => undefined },
        ),
      })),
    { catalog },
  );
}

const gridData = () => parseYaml(gridYaml) as Record<string, unknown>;

type Series = {
  name: string;
  data: unknown[];
  itemStyle?: { color?: string; borderColor?: string };
  markLine?: { data: { yAxis: number }[] };
};
const seriesOf = (o: unknown) => (o as { series: Series[] }).series;
const byName = (o: unknown, name: string) => seriesOf(o).find((s) => s.name === name)!;

describe('sweep charts and table', () => {
  let grid: SweepResult;
  let capacity: SweepResult;
  beforeAll(async () => {
    grid = await sweepOf(gridData());
    capacity = await sweepOf({
      ...gridData(),
      name: 'capacity on the inline base',
      axes: [{ path: 'deployments.0.system', values: ['hgx-h100-8gpu', 'hgx-h200-8gpu'] }],
      strategy: {
        kind: 'capacity',
        path: 'workload.classes.0.arrivals.requestsPerSecond',
        low: 4,
        high: 64,
        relativeTolerance: 0.25,
        maxIterations: 8,
      },
      objective: { maximize: 'goodputTokensPerSecond' },
    });
  }, 120_000);

  it('plots cost per 1M output tokens against goodput, the Pareto set apart, infeasible grey', () => {
    expect(paretoAxes(grid)).toEqual({ x: GOODPUT, y: 'costUsdPerMillionOutputTokens' });
    const o = sweepParetoOption(grid);
    const xy = (keys: (k: string) => boolean) =>
      grid.points
        .filter((p) => keys(p.key))
        .filter((p) => 'costUsdPerMillionOutputTokens' in p.metrics.values)
        .map((p) => [p.metrics.values[GOODPUT], p.metrics.values.costUsdPerMillionOutputTokens]);
    const pareto = new Set(grid.pareto.keys);
    const feasible = new Set(grid.points.filter((p) => p.feasible).map((p) => p.key));
    expect(grid.pareto.keys.length).toBeGreaterThan(0);
    expect(byName(o, 'Pareto set').data).toEqual(xy((k) => pareto.has(k)));
    expect(byName(o, 'feasible').data).toEqual(xy((k) => feasible.has(k) && !pareto.has(k)));
    // The fixture has infeasible points, one of them with a cost (the others have no good token).
    const infeasible = byName(o, 'infeasible');
    expect(infeasible.data).toEqual(xy((k) => !feasible.has(k)));
    expect(infeasible.data.length).toBeGreaterThan(0);
    expect(infeasible.itemStyle!.color).toBe(INFEASIBLE_GREY);
    const chosen = grid.points.find((p) => p.key === grid.chosen!.key)!;
    expect(chosen.metrics.values[grid.objective.metric]).toBe(grid.chosen!.value);
    expect(byName(o, 'chosen').data).toEqual([
      [chosen.metrics.values[GOODPUT], chosen.metrics.values.costUsdPerMillionOutputTokens],
    ]);
    const unplotted = grid.points.filter(
      (p) => !('costUsdPerMillionOutputTokens' in p.metrics.values),
    ).length;
    expect(unplotted).toBeGreaterThan(0);
    const subtext = (o as { title: { subtext: string } }).title.subtext;
    expect(subtext).toContain(`${unplotted} points without`);
  });

  it('falls back to the objective where no point has a cost', () => {
    const noCost = structuredClone(grid);
    for (const p of noCost.points) delete p.metrics.values.costUsdPerMillionOutputTokens;
    expect(paretoAxes(noCost)).toEqual({ x: GOODPUT, y: grid.objective.metric });
    const all = seriesOf(sweepParetoOption(noCost))
      .filter((s) => s.name !== 'chosen')
      .flatMap((s) => s.data);
    expect(all).toHaveLength(grid.points.length);
    for (const p of grid.points)
      expect(all).toContainEqual([
        p.metrics.values[GOODPUT],
        p.metrics.values[grid.objective.metric],
      ]);
  });

  it('lists the points best first with the chosen one on top, axes that vary as columns', () => {
    const rows = sweepRows(grid);
    expect(rows).toHaveLength(grid.counts.points);
    expect(rows[0]!.point.key).toBe(grid.chosen!.key);
    expect(rows[0]!.chosen).toBe(true);
    expect(rows.filter((r) => r.chosen)).toHaveLength(1);
    expect(
      rows
        .filter((r) => r.pareto)
        .map((r) => r.point.key)
        .sort(),
    ).toEqual([...grid.pareto.keys].sort());
    const firstInfeasible = rows.findIndex((r) => !r.point.feasible);
    expect(firstInfeasible).toBe(grid.counts.feasible);
    const objective = rows
      .slice(0, firstInfeasible)
      .map((r) => r.point.metrics.values[grid.objective.metric]!);
    expect(objective).toEqual([...objective].sort((a, b) => b - a));
    const cols = sweepColumns(grid);
    expect(cols.varying).toEqual(grid.axes.map((a) => a.path));
    expect(cols.fixed).toEqual([]);
    expect(cols.metrics).toEqual([
      'goodputTokensPerUsd',
      'ttftP99Seconds',
      'costUsdPerMillionOutputTokens',
      'goodputTokensPerSecond',
    ]);
  });

  it('states the basis the points share once, and per metric the fields that vary', () => {
    const cols = sweepColumns(grid);
    const view = sweepBasis(grid, cols.metrics);
    expect(view.shared).toEqual([
      ['model', 'llama-3.1-70b'],
      ['precision', 'fp8'],
      ['workload', 'chat'],
      ['slo', 'ttft p99 ≤ 450 ms, tpot p99 ≤ 40 ms'],
      ['provenance', 'modeled'],
    ]);
    expect(view.metrics.map((m) => m.metric)).toEqual(cols.metrics);
    for (const m of view.metrics) {
      expect(m.varies).toEqual(grid.basis[m.metric]!.varies);
      expect(m.points).toBe(grid.basis[m.metric]!.points);
      // H100 vs H200: the calibration (in the source) differs.
      expect(m.varies).toContain('source');
      expect(m.incomparable).toEqual([]);
    }
    const money = view.metrics.find((m) => m.metric === 'goodputTokensPerUsd')!;
    expect(money.common).toContainEqual(['currencyYear', 'USD-2026']);
    expect(money.common).toContainEqual(['boundary', 'facility']);
    const latency = view.metrics.find((m) => m.metric === 'ttftP99Seconds')!;
    expect(latency.common).toContainEqual(['boundary', 'n/a']);
  });

  it('draws the bisection rounds of a capacity search: each rate tried, feasible or not', () => {
    expect(sweepCapacityOption(grid)).toBeNull();
    const o = sweepCapacityOption(capacity)!;
    const searches = capacity.search.capacity!.searches;
    const series = seriesOf(o);
    expect(series.map((s) => s.name)).toEqual(['hgx-h100-8gpu', 'hgx-h200-8gpu']);
    const feasibleByKey = new Map(capacity.points.map((p) => [p.key, p.feasible]));
    const rate = (key: string) =>
      capacity.points.find((p) => p.key === key)!.assignments.at(-1)!.value;
    searches.forEach((s, i) => {
      expect(s.trials.length).toBe(2 + s.rounds);
      const data = series[i]!.data as { value: [number, number]; symbol: string }[];
      expect(data.map((d) => d.value)).toEqual(s.trials.map((t) => [t.round, t.value]));
      s.trials.forEach((t, k) => {
        // Each trial is one of the sweep's points, with that point's rate and feasibility.
        expect(rate(t.key)).toBe(t.value);
        expect(feasibleByKey.get(t.key)).toBe(t.feasible);
        expect(data[k]!.symbol).toBe(t.feasible ? 'circle' : 'emptyCircle');
      });
      if (s.capacity !== null) expect(series[i]!.markLine!.data).toEqual([{ yAxis: s.capacity }]);
    });
    // The searches' trials are every point of the sweep.
    expect(searches.flatMap((s) => s.trials.map((t) => t.key)).sort()).toEqual(
      capacity.points.map((p) => p.key).sort(),
    );
  });
});
