import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { isAifError } from '../core/errors.js';
import { resolveCalibration } from '../perf/calibration.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { parseCalibrationFile } from '../perf/calibration-file.js';
import { parseScenarioYaml } from '../scenario/index.js';
import { benchDeployment, calibrateFromBench } from './calibrate-bench.js';
import { syntheticBenchReport } from './calibrate-bench-synthetic.js';

const catalog = defaultCatalog();

/** Llama 3.1 8B bf16 on one H100, vLLM with host work not overlapped (so host time shows). */
const BENCH_SCENARIO_YAML = `name: Llama 3.1 8B bf16 on one H100 (bench calibration)
seed: 1
deployments:
  - name: llama8b
    model: llama-3.1-8b
    system: hgx-h100-8gpu
    precision: bf16
    parallelism: { tp: 1 }
    replicas: 1
    engine: { name: vllm, asyncScheduling: false }
workload:
  classes:
    - name: chat
      kind: request
      arrivals: { process: closed-loop, concurrency: 16 }
      inputTokens: 1000
      outputTokens: 200
      slo: { ttftP99Seconds: 10, tpotP99Seconds: 1 }
`;
const scenario = parseScenarioYaml(BENCH_SCENARIO_YAML, 'bench.yaml');
const d = benchDeployment(scenario, catalog, BUILTIN_CALIBRATION);
const start = resolveCalibration(BUILTIN_CALIBRATION, d.accelerator, d.engine, d.model);
const TRUTH = { ...start.params, memoryEfficiency: 0.6, hostOverheadSeconds: 0.002 };
const opts = { createdAt: '2025-01-01T00:00:00Z' };

function thrown(f: () => unknown): { message: string; issues: readonly { path: string }[] } {
  try {
    f();
  } catch (e) {
    if (isAifError(e)) return { message: e.message, issues: e.issues };
    throw e;
  }
  throw new Error('expected an AifError');
}

describe('calibrateFromBench', () => {
  it('recovers memory efficiency 0.6 and host overhead 2 ms from a model-made report at 1, 4, 16, 64 clients, starting from the chain entry', () => {
    // The chain entry h100-sxm/vllm/dense starts at memory η 0.963 and host 1.01 ms.
    expect(start.key).toBe('h100-sxm/vllm/dense');
    expect(start.params.memoryEfficiency).toBeGreaterThan(0.9);
    const report = syntheticBenchReport({
      scenario,
      catalog,
      table: BUILTIN_CALIBRATION,
      params: TRUTH,
      concurrencies: [1, 4, 16, 64],
    });
    const fit = calibrateFromBench(
      scenario,
      [{ file: 'r.json', data: report }],
      catalog,
      BUILTIN_CALIBRATION,
      opts,
    );
    expect(fit.entry.fitted).toContain('memoryEfficiency');
    expect(fit.entry.fitted).toContain('hostOverheadSeconds');
    // Tolerance: 1% on each recovered parameter, 0.5% MAPE on the figures.
    expect(fit.entry.params.memoryEfficiency).toBeGreaterThan(0.6 * 0.99);
    expect(fit.entry.params.memoryEfficiency).toBeLessThan(0.6 * 1.01);
    expect(fit.entry.params.hostOverheadSeconds).toBeGreaterThan(0.002 * 0.99);
    expect(fit.entry.params.hostOverheadSeconds).toBeLessThan(0.002 * 1.01);
    expect(fit.before.tpotMapePct).toBeGreaterThan(10);
    expect(fit.after.tpotMapePct).toBeLessThan(0.5);
    expect(fit.after.ttftMapePct).toBeLessThan(0.5);
    expect(fit.entry.key).toBe('h100-sxm/vllm/dense');
    expect(fit.entry.fitError.perRow).toHaveLength(8);
    // The written file passes its own schema, with provenance.
    const file = parseCalibrationFile(fit.file);
    expect(file.provenance.files).toEqual(['r.json']);
    expect(file.provenance.scenario?.hash).toMatch(/^fnv1a64:/);
    expect(file.provenance.endpoints?.[0]?.baseUrl).toBe('synthetic:model');
  });

  it('keeps host overhead at its start value when two stages cannot separate it from memory efficiency', () => {
    const report = syntheticBenchReport({
      scenario,
      catalog,
      table: BUILTIN_CALIBRATION,
      params: TRUTH,
      concurrencies: [1, 8],
    });
    const fit = calibrateFromBench(
      scenario,
      [{ file: 'r.json', data: report }],
      catalog,
      BUILTIN_CALIBRATION,
      opts,
    );
    const host = fit.decisions.find((x) => x.param === 'hostOverheadSeconds')!;
    expect(host.fitted).toBe(false);
    expect(host.reason).toMatch(/collinear with memoryEfficiency/);
    expect(fit.entry.params.hostOverheadSeconds).toBe(start.params.hostOverheadSeconds);
  });

  it('uses a Poisson stage and skips a gamma stage with its reason', () => {
    const report = syntheticBenchReport({
      scenario,
      catalog,
      table: BUILTIN_CALIBRATION,
      params: TRUTH,
      concurrencies: [1, 16],
      poissonRates: [2],
    });
    report.stages.push({ ...report.stages[2]!, stage: 3, label: 'gamma 2 req/s cv 2' });
    const fit = calibrateFromBench(
      scenario,
      [{ file: 'r.json', data: report }],
      catalog,
      BUILTIN_CALIBRATION,
      opts,
    );
    expect(fit.stages.map((s) => s.label)).toEqual([
      'concurrency 1',
      'concurrency 16',
      'poisson 2 req/s',
    ]);
    expect(fit.skipped).toEqual([
      {
        file: 'r.json',
        stage: 3,
        label: 'gamma 2 req/s cv 2',
        reason:
          'open-loop gamma arrivals: the steady-state model has closed-loop and Poisson arrivals only',
      },
    ]);
  });

  const one = () =>
    syntheticBenchReport({
      scenario,
      catalog,
      table: BUILTIN_CALIBRATION,
      params: TRUTH,
      concurrencies: [4],
    });

  it('refuses a report of another catalog model, naming target.model', () => {
    const report = one();
    report.target.model = 'meta-llama/Llama-3.1-70B-Instruct';
    const e = thrown(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: report }],
        catalog,
        BUILTIN_CALIBRATION,
        opts,
      ),
    );
    expect(e.message).toContain('x.json: measured model llama-3.1-70b');
    expect(e.issues[0]!.path).toBe('target.model');
  });

  it('accepts a served model name given as --served-model', () => {
    const report = one();
    report.target.model = 'my-llama';
    expect(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: report }],
        catalog,
        BUILTIN_CALIBRATION,
        {
          ...opts,
          servedModel: 'my-llama',
          params: ['memoryEfficiency'],
        },
      ),
    ).not.toThrow();
  });

  it('refuses a report without ok requests', () => {
    const report = one();
    report.stages[0]!.counts = { requests: 10, ok: 0, failed: 10 };
    const e = thrown(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: report }],
        catalog,
        BUILTIN_CALIBRATION,
        opts,
      ),
    );
    expect(e.message).toContain('x.json: no ok requests in any stage');
    expect(e.issues[0]!.path).toBe('stages.*.counts.ok');
  });

  it('refuses reports without a closed-loop stage', () => {
    const report = syntheticBenchReport({
      scenario,
      catalog,
      table: BUILTIN_CALIBRATION,
      params: TRUTH,
      poissonRates: [1, 2],
    });
    const e = thrown(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: report }],
        catalog,
        BUILTIN_CALIBRATION,
        opts,
      ),
    );
    expect(e.message).toContain('no closed-loop stage');
  });

  it('refuses a report that is not a bench report, naming the field', () => {
    const e = thrown(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: { kind: 'aifactory.sim' } }],
        catalog,
        BUILTIN_CALIBRATION,
        opts,
      ),
    );
    expect(e.message).toContain('x.json: not an aifactory bench report');
    expect(e.issues.map((i) => i.path)).toContain('kind');
  });

  it('refuses metrics under another convention', () => {
    const report = { ...one(), convention: 'aiperf' };
    const e = thrown(() =>
      calibrateFromBench(
        scenario,
        [{ file: 'x.json', data: report }],
        catalog,
        BUILTIN_CALIBRATION,
        opts,
      ),
    );
    expect(e.issues[0]!.path).toBe('convention');
  });
});
