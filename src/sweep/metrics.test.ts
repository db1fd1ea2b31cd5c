import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costFromRun } from '../app/cost.js';
import { simulateScenario, type SimResult } from '../app/simulate.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml, type Scenario } from '../scenario/index.js';
import { basisOf, METRIC_IDS, metricDefinition, pointMetrics, SWEEP_METRICS } from './metrics.js';

const catalog = defaultCatalog();
const scenario: Scenario = {
  ...parseScenarioYaml(readFileSync('examples/chat-fleet-h100.yaml', 'utf8'), 'chat.yaml'),
  simulation: { durationSeconds: 30, warmupSeconds: 5 },
};
const result: SimResult = simulateScenario(scenario, catalog, BUILTIN_CALIBRATION, {
  toolVersion: 't',
});
const d = result.deployments[0]!;
const m = pointMetrics(result, scenario, catalog);

describe('sweep metrics', () => {
  it('reads rates, latency percentiles and SLO attainment from the twin result', () => {
    const t = d.metrics.total;
    expect(m.values.goodputTokensPerSecond).toBe(t.tokenGoodputTokensPerSecond);
    expect(m.values.outputTokensPerSecond).toBe(t.outputTokensPerSecond);
    expect(m.values.ttftP99Seconds).toBe(t.ttft.p99Seconds);
    expect(m.values.tpotP50Seconds).toBe(t.tpot.p50Seconds);
    expect(m.values.sloAttainment).toBe(t.sloAttainment);
    expect(m.values.gpus).toBe(8);
    expect(m.values.tokensPerJouleFacility).toBe(
      t.outputTokensPerSecond / d.energy.meanPowerWatts.facility,
    );
    // The run's scorecard states the same figure at the same boundary.
    const card = d.scorecard.find(
      (x) => x.name === 'tokens per joule' && x.basis.boundary === 'facility',
    );
    expect(m.values.tokensPerJouleFacility).toBeCloseTo(card!.value, 12);
  });

  it('prices one deployment exactly as `aifactory cost --run` does', () => {
    const cost = costFromRun(result, { scenario, catalog }).deployments[0]!.points[0]!;
    expect(m.values.usdPerHour).toBe(cost.usdPerHour.value);
    // Σ share·C·1e6 / (3600·goodput) is the split rule's output price (econ/cost-per-token.ts).
    const rel =
      m.values.costUsdPerMillionOutputTokens! / cost.costPerToken.usdPerMillion.output.value - 1;
    expect(Math.abs(rel)).toBeLessThan(1e-12);
    expect(m.values.goodputTokensPerUsd).toBe(
      (m.values.goodputTokensPerSecond! * 3600) / m.values.usdPerHour!,
    );
  });

  it('leaves money metrics absent, with the reason, when the scenario has no economics', () => {
    const { economics: _e, ...free } = scenario;
    const x = pointMetrics(result, free, catalog);
    for (const id of ['usdPerHour', 'costUsdPerMillionOutputTokens', 'goodputTokensPerUsd']) {
      expect(x.values[id]).toBeUndefined();
      expect(x.absent[id]).toContain('no economics section');
    }
    expect(x.values.goodputTokensPerSecond).toBe(m.values.goodputTokensPerSecond);
  });

  it('adds rates and takes the worst percentile over deployments', () => {
    const slower = structuredClone(d);
    slower.name = 'slower';
    slower.metrics.total.ttft.p99Seconds = d.metrics.total.ttft.p99Seconds! * 3;
    const two: SimResult = { ...result, deployments: [d, slower] };
    const x = pointMetrics(two, scenario, catalog);
    expect(x.values.goodputTokensPerSecond).toBe(2 * m.values.goodputTokensPerSecond!);
    expect(x.values.ttftP99Seconds).toBe(3 * m.values.ttftP99Seconds!);
    expect(x.values.sloAttainment).toBeCloseTo(m.values.sloAttainment!, 12);
    expect(x.values.usdPerHour).toBeCloseTo(2 * m.values.usdPerHour!, 9);
    // Twice the cost for twice the good tokens: the same price per token.
    expect(x.values.costUsdPerMillionOutputTokens).toBeCloseTo(
      m.values.costUsdPerMillionOutputTokens!,
      9,
    );
  });

  it('says why a latency is absent when nothing completed, and why the cost per good token is', () => {
    const idle = structuredClone(d);
    for (const k of ['ttft', 'tpot', 'e2e'] as const) {
      idle.metrics.total[k].p50Seconds = null;
      idle.metrics.total[k].p99Seconds = null;
    }
    idle.metrics.total.tokenGoodputTokensPerSecond = 0;
    const x = pointMetrics({ ...result, deployments: [idle] }, scenario, catalog);
    expect(x.absent.ttftP99Seconds).toBe('no request completed inside the measurement window');
    expect(x.absent.costUsdPerMillionOutputTokens).toContain(
      'cost per good output token is unbounded',
    );
    expect(x.values.goodputTokensPerUsd).toBe(0);
  });

  it('gives every value the basis the run’s scorecard states for the same figure', () => {
    const card = (name: string, boundary: string) =>
      d.scorecard.find((x) => x.name === name && x.basis.boundary === boundary)!.basis;
    expect(basisOf(m, 'goodputTokensPerSecond')).toEqual(card('token goodput', 'n/a'));
    expect(basisOf(m, 'outputTokensPerSecond')).toEqual(card('output throughput', 'n/a'));
    expect(basisOf(m, 'ttftP99Seconds')).toEqual(card('output throughput', 'n/a'));
    expect(basisOf(m, 'sloAttainment')).toEqual(card('SLO attainment', 'n/a'));
    expect(basisOf(m, 'tokensPerJouleFacility')).toEqual(card('tokens per joule', 'facility'));
    expect(basisOf(m, 'tokensPerJouleChip')).toEqual(card('tokens per joule', 'chip'));
    const b = basisOf(m, 'ttftP99Seconds')!;
    expect([b.model, b.precision, b.workload, b.provenance]).toEqual([
      'llama-3.1-70b',
      'fp8',
      'chat',
      'modeled',
    ]);
    expect(b.slo).toEqual({ ttftP99Seconds: 0.45, tpotP99Seconds: 0.04 });
    expect(basisOf(m, 'tokensPerJouleChip')!.powerKind).toBe('drawn');
    // Every value has exactly one basis, each stating its definition's boundary; no absent one has.
    const grouped = m.bases.flatMap((g) => g.metrics);
    expect(grouped.sort()).toEqual(Object.keys(m.values).sort());
    for (const def of SWEEP_METRICS) {
      const basis = basisOf(m, def.id)!;
      expect(basis.boundary, def.id).toBe(def.boundary);
      expect(basis.currencyYear !== 'n/a', def.id).toBe(def.money);
    }
    // Metrics of one basis share one group: the JSON states each basis once.
    expect(m.bases.length).toBe(5);
  });

  it('gives money the cost report’s basis: currency-year, energy price and the prices’ provenance', () => {
    const report = costFromRun(result, { scenario, catalog });
    const point = report.deployments[0]!.points[0]!;
    const energy = report.deployments[0]!.inputs.find(
      (i) => i.path === 'site.energyPriceUsdPerKwh',
    )!;
    for (const [id, from] of [
      ['usdPerHour', point.usdPerHour.basis],
      ['goodputTokensPerUsd', point.usdPerHour.basis],
      ['costUsdPerMillionOutputTokens', point.costPerToken.usdPerMillion.output.basis],
    ] as const) {
      const b = basisOf(m, id)!;
      expect(b.currencyYear, id).toBe(report.currencyYear);
      expect(b.currencyYear).toBe('USD-2026');
      expect(b.boundary).toBe('facility');
      expect(b.energyPriceUsdPerKwh).toBe(energy.value);
      const { source, energyPriceUsdPerKwh: _e, ...rest } = b;
      const { source: costSource, ...costRest } = from;
      expect(rest).toEqual(costRest);
      expect(source.startsWith(`${costSource}; prices: `)).toBe(true);
      expect(source).toContain('economics.costOfCapital = 0.08 per year (scenario)');
      expect(source).toContain(`site.energyPriceUsdPerKwh = ${energy.value} USD/kWh (default)`);
    }
    const stated = pointMetrics(
      result,
      { ...scenario, economics: { ...scenario.economics!, currencyYear: 'EUR-2025' } },
      catalog,
    );
    expect(basisOf(stated, 'usdPerHour')!.currencyYear).toBe('EUR-2025');
    expect(basisOf(stated, 'goodputTokensPerSecond')!.currencyYear).toBe('n/a');
  });

  it('states a fleet figure’s basis with each deployment’s value where they differ', () => {
    const other = structuredClone(d);
    other.name = 'other';
    for (const x of other.scorecard) x.basis = { ...x.basis, precision: 'bf16' };
    const x = pointMetrics({ ...result, deployments: [d, other] }, scenario, catalog);
    const b = basisOf(x, 'goodputTokensPerSecond')!;
    expect(b.precision).toBe('chat-tp4: fp8; other: bf16');
    expect(b.model).toBe('llama-3.1-70b');
    expect(b.slo).toEqual({ ttftP99Seconds: 0.45, tpotP99Seconds: 0.04 });
    expect(basisOf(x, 'usdPerHour')!.currencyYear).toBe('USD-2026');
  });

  it('has no basis for an absent value', () => {
    const { economics: _e, ...free } = scenario;
    const x = pointMetrics(result, free, catalog);
    expect(basisOf(x, 'usdPerHour')).toBeUndefined();
    expect(basisOf(x, 'goodputTokensPerSecond')).toEqual(basisOf(m, 'goodputTokensPerSecond'));
  });

  it('documents every metric id with a unit and a source', () => {
    expect(new Set(METRIC_IDS).size).toBe(SWEEP_METRICS.length);
    for (const def of SWEEP_METRICS) {
      expect(def.unit.length).toBeGreaterThan(0);
      expect(def.source.length).toBeGreaterThan(0);
      expect(metricDefinition(def.id)).toBe(def);
      expect(def.id in m.values || def.id in m.absent).toBe(true);
    }
    expect(metricDefinition('nope')).toBeUndefined();
  });

  it('is documented in docs/sweeps.md: one table row per id, with its unit', () => {
    const doc = readFileSync('docs/sweeps.md', 'utf8');
    for (const def of SWEEP_METRICS)
      expect(doc, def.id).toMatch(
        new RegExp(`^\\| \`${def.id}\` +\\| ${def.unit.replace(/[/.]/g, '\\$&')} +\\|`, 'm'),
      );
  });
});
