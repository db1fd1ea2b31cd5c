import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costFromRun } from '../app/cost.js';
import { simulateScenario, type SimResult } from '../app/simulate.js';
import { defaultCatalog } from '../catalog/catalog.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml, type Scenario } from '../scenario/index.js';
import { METRIC_IDS, metricDefinition, pointMetrics, SWEEP_METRICS } from './metrics.js';

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
