import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import type { Metric } from '../core/basis.js';
import { AifError } from '../core/errors.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { collectMetrics, estimateScenario, type EstimateReport } from './estimate.js';

const catalog = defaultCatalog();
const EXAMPLES = ['examples/llama70b-fp8-h100.yaml', 'examples/deepseek-r1-fp4-gb200.yaml'];

const estimateFile = (file: string): EstimateReport =>
  estimateScenario(
    parseScenarioYaml(readFileSync(file, 'utf8'), file),
    catalog,
    BUILTIN_CALIBRATION,
  );
const estimateYaml = (yaml: string): EstimateReport =>
  estimateScenario(parseScenarioYaml(yaml, 'test.yaml'), catalog, BUILTIN_CALIBRATION);

const reports = EXAMPLES.map((f) => [f, estimateFile(f)] as const);

/** Relative closeness, for values rounded to 6 significant digits. */
const expectClose = (a: number, b: number, rel = 1e-5) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)));

const chatYaml = (over: { site?: string; arrivals?: string; classes?: string } = {}) => `
name: test
seed: 3
${over.site ?? 'site: { pue: 1.3 }'}
deployments:
  - name: d
    model: llama-3.1-70b
    system: hgx-h100-8gpu
    precision: fp8
    parallelism: { tp: 4 }
    replicas: 2
    engine: { name: vllm }
workload:
  classes:
${
  over.classes ??
  `    - name: chat
      kind: request
      arrivals: ${over.arrivals ?? '{ process: closed-loop, concurrency: 16 }'}
      inputTokens: { dist: lognormal, median: 1020, p90: 2734 }
      outputTokens: { dist: lognormal, median: 129, p90: 424 }
      slo: { ttftP99Seconds: 2, tpotP99Seconds: 0.1 }`
}
`;

describe.each(reports)('estimate of %s', (_file, report) => {
  it('gives every metric a complete basis', () => {
    const metrics = collectMetrics(report);
    expect(metrics.length).toBeGreaterThan(50);
    for (const m of metrics) {
      const b = m.basis;
      for (const key of [
        'model',
        'precision',
        'workload',
        'utilization',
        'boundary',
        'currencyYear',
        'provenance',
        'source',
      ] as const) {
        expect(
          typeof b[key] === 'string' && b[key].trim().length > 0,
          `${m.name}: basis.${key}`,
        ).toBe(true);
      }
      expect(b.slo === 'none' || Object.keys(b.slo).length > 0, `${m.name}: basis.slo`).toBe(true);
      expect(Number.isFinite(m.value), `${m.name}: finite value`).toBe(true);
      if (/per joule|per MW|power/.test(m.name))
        expect(b.powerKind, `${m.name}: powerKind`).toBeDefined();
    }
  });

  it('records the seed, the scenario hash and the catalog version', () => {
    expect(report.scenario.hash).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    expect(Number.isInteger(report.scenario.seed)).toBe(true);
    expect(report.catalogVersion).toBe(catalog.version);
    expect(report.defaultsApplied.length).toBeGreaterThan(0);
  });

  it('has tokens per joule falling outward: chip ≥ node ≥ facility', () => {
    for (const d of report.deployments)
      for (const c of d.classes) {
        expect(c.power.tokensPerJouleChip.value).toBeGreaterThanOrEqual(
          c.power.tokensPerJouleNode.value,
        );
        if (c.power.tokensPerJouleFacility)
          expect(c.power.tokensPerJouleNode.value).toBeGreaterThanOrEqual(
            c.power.tokensPerJouleFacility.value,
          );
      }
  });

  it('has per-GPU throughput × GPUs per replica = per-replica throughput', () => {
    for (const d of report.deployments)
      for (const c of d.classes) {
        const t = c.throughput;
        expectClose(
          t.outputTokensPerSecondPerGpu.value * d.plan.gpusPerReplica,
          t.outputTokensPerSecondPerReplica.value,
        );
        expectClose(
          t.inputTokensPerSecondPerGpu.value * d.plan.gpusPerReplica,
          t.inputTokensPerSecondPerReplica.value,
        );
        expectClose(
          t.outputTokensPerSecondPerReplica.value * d.plan.replicas,
          t.outputTokensPerSecondDeployment.value,
        );
      }
  });

  it('has a monotone frontier: tok/s per user falls and tok/s per GPU rises with concurrency', () => {
    for (const d of report.deployments)
      for (const c of d.classes) {
        expect(c.frontier.length).toBeGreaterThan(3);
        for (let i = 1; i < c.frontier.length; i++) {
          const a = c.frontier[i - 1]!;
          const b = c.frontier[i]!;
          expect(b.concurrencyPerReplica).toBeGreaterThan(a.concurrencyPerReplica);
          expect(b.outputTokensPerSecondPerUser.value).toBeLessThanOrEqual(
            a.outputTokensPerSecondPerUser.value,
          );
          expect(b.outputTokensPerSecondPerGpu.value).toBeGreaterThanOrEqual(
            a.outputTokensPerSecondPerGpu.value,
          );
        }
      }
  });

  it('has memory figures that add up to the usable memory', () => {
    for (const d of report.deployments) {
      const m = d.memory;
      const parts: Metric[] = [
        m.weightsGbPerGpu,
        m.activationsGbPerGpu,
        m.reserveGbPerGpu,
        m.kvCacheGbPerGpu,
        m.unallocatedGbPerGpu,
      ];
      expectClose(
        parts.reduce((a, x) => a + x.value, 0),
        m.usableGbPerGpu.value,
      );
      expect(m.usableGbPerGpu.value).toBeLessThanOrEqual(m.hbmGbPerGpu.value);
      if (m.gpuMemoryUtilizationOf === 'total') expect(m.unallocatedGbPerGpu.value).toBe(0);
      expect(m.fits).toBe(true);
    }
  });

  it('has utilization fractions within [0, 1]', () => {
    for (const d of report.deployments)
      for (const c of d.classes)
        for (const u of Object.values(c.utilization)) {
          expect(u.value).toBeGreaterThanOrEqual(0);
          expect(u.value).toBeLessThanOrEqual(1);
        }
  });
});

describe('estimateScenario', () => {
  it('is deterministic: the same scenario gives the same report', () => {
    expect(JSON.stringify(estimateFile(EXAMPLES[1]!))).toBe(JSON.stringify(reports[1]![1]));
  });

  it('lets the planner choose an auto plan and lists the choice in defaultsApplied', () => {
    const r = reports[1]![1];
    const d = r.deployments[0]!;
    expect(d.plan.chosenBy).toBe('planner');
    expect(d.planSearch?.candidates.some((c) => c.feasible)).toBe(true);
    expect(d.plan.replicas * d.plan.gpusPerReplica).toBe(72);
    expect(
      r.defaultsApplied.find((x) => x.path === 'deployments.0.parallelism')?.value,
    ).toMatchObject({ tp: d.plan.tp });
    expect(r.defaultsApplied.find((x) => x.path === 'deployments.0.replicas')?.value).toBe(
      d.plan.replicas,
    );
  });

  it('splits closed-loop clients evenly over replicas', () => {
    const c = estimateYaml(chatYaml()).deployments[0]!.classes[0]!;
    expect(c.concurrencyPerReplica.value).toBe(8);
  });

  it('reports chip and node only, and says why, when the site states no PUE', () => {
    const c = estimateYaml(chatYaml({ site: '' })).deployments[0]!.classes[0]!;
    expect(c.power.tokensPerJouleFacility).toBeUndefined();
    expect(c.power.tokensPerSecondPerMwProvisioned).toBeUndefined();
    expect(c.power.notes.join(' ')).toMatch(/no site.pue/);
  });

  it('counts provisioned MW at nameplate: fewer tok/s per provisioned MW than per drawn MW', () => {
    const p = estimateYaml(chatYaml()).deployments[0]!.classes[0]!.power;
    expect(p.tokensPerSecondPerMwProvisioned!.basis.powerKind).toBe('provisioned');
    expect(p.tokensPerSecondPerMwDrawn!.basis.powerKind).toBe('drawn');
    expect(p.tokensPerSecondPerMwProvisioned!.value).toBeLessThan(
      p.tokensPerSecondPerMwDrawn!.value,
    );
  });

  it('carries a Poisson rate by Little’s law and flags a rate beyond capacity', () => {
    const light = estimateYaml(chatYaml({ arrivals: '{ process: poisson, requestsPerSecond: 2 }' }))
      .deployments[0]!.classes[0]!;
    expectClose(light.throughput.requestsPerSecondPerReplica.value, 1, 1e-3);
    expectClose(light.concurrencyPerReplica.value, 1 * light.latency.e2eSeconds.value, 1e-3);
    expect(light.capacityExceeded).toBe(false);
    const heavy = estimateYaml(
      chatYaml({ arrivals: '{ process: poisson, requestsPerSecond: 10000 }' }),
    ).deployments[0]!;
    expect(heavy.classes[0]!.capacityExceeded).toBe(true);
    expect(heavy.warnings.join(' ')).toMatch(/exceeds/);
  });

  it('approximates agent sessions as calls with the previous context cached, and says so', () => {
    const r = estimateYaml(
      chatYaml({
        classes: `    - name: agent
      kind: agent-session
      arrivals: { process: closed-loop, concurrency: 8 }
      session: { calls: 3, firstPromptTokens: 1000, appendTokens: 100, outputTokens: 50, thinkSeconds: 2 }
      slo: {}`,
      }),
    );
    const c = r.deployments[0]!.classes[0]!;
    // calls k = 0, 1, 2: prompts 1000, 1150, 1300 → mean 1150; new tokens (1000 + 2·100)/3 = 400.
    expectClose(c.request.meanInputTokens.value, 1150);
    expectClose(c.request.meanCachedInputTokens.value, 750);
    expect(c.request.derivation[0]).toMatch(/APPROXIMATION/);
    expect(r.assumptions.join(' ')).toMatch(/agent sessions are approximated/);
    // Think time leaves clients idle part of the time: fewer calls in flight than clients.
    expect(c.concurrencyPerReplica.value).toBeLessThan(4);
  });

  it('raises E_NO_FEASIBLE_PLAN with one issue per candidate when no plan meets the SLO', () => {
    const yaml = chatYaml()
      .replace('parallelism: { tp: 4 }', 'parallelism: auto')
      .replace('tpotP99Seconds: 0.1', 'tpotP99Seconds: 0.0001');
    try {
      estimateYaml(yaml);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AifError);
      const err = e as AifError;
      expect(err.code).toBe('E_NO_FEASIBLE_PLAN');
      expect(err.issues[0]!.path).toBe('deployments.0.parallelism');
      expect(err.issues.length).toBeGreaterThan(2);
    }
  });

  it('lists the scenario parts the estimate does not use', () => {
    expect(reports[0]![1].notUsed.join(' ')).toMatch(/site.region/);
  });
});

describe('context window check', () => {
  it('warns when the mean call is longer than the model’s context window', async () => {
    const { parseScenarioYaml } = await import('../scenario/index.js');
    const { defaultCatalog } = await import('../catalog/catalog.js');
    const { BUILTIN_CALIBRATION } = await import('../perf/calibration-data.js');
    const { estimateScenario } = await import('./estimate.js');
    const yaml = [
      'name: long prompts',
      'seed: 1',
      'deployments:',
      '  - name: l2',
      '    model: llama-2-70b',
      '    precision: fp8',
      '    system: hgx-h100-8gpu',
      '    parallelism: { tp: 8 }',
      '    replicas: 1',
      '    engine: { name: vllm }',
      'workload:',
      '  classes:',
      '    - name: rag',
      '      kind: request',
      '      arrivals: { process: closed-loop, concurrency: 4 }',
      '      inputTokens: 6000',
      '      outputTokens: 200',
      '      slo: {}',
    ].join('\n');
    const report = estimateScenario(
      parseScenarioYaml(yaml, 'x.yaml'),
      defaultCatalog(),
      BUILTIN_CALIBRATION,
    );
    expect(JSON.stringify(report)).toMatch(/exceeds llama-2-70b's context window of 4096 tokens/);
  });
});
