import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../catalog/catalog.js';
import { MLPERF_LLM_TASKS } from '../catalog/benchmarks.js';
import { resolvePrecision } from '../catalog/precisions.js';
import { BUILTIN_CALIBRATION } from '../perf/calibration-data.js';
import { resolveCalibration } from '../perf/calibration.js';
import { prepareDeployment } from '../perf/costs.js';
import { memoryFit } from '../perf/memory.js';
import { mlperfEngine } from './mlperf.js';
import {
  fitTokenLengths,
  normalCdf,
  normalQuantile,
  probeTwinRate,
  searchTwinRate,
  type TwinServerOptions,
} from './mlperf-twin.js';

const catalog = defaultCatalog();

/** Llama 3.1 8B fp8 on one H100, lognormal lengths (mean 300/150), 40 ms TPOT / 0.5 s TTFT. */
function synthetic(): TwinServerOptions {
  const model = catalog.models.get('llama-3.1-8b')!;
  const accelerator = catalog.accelerators.get('h100-sxm')!;
  const engine = mlperfEngine('trtllm');
  const prepared = prepareDeployment(
    {
      model,
      accelerator,
      precision: resolvePrecision('fp8', accelerator, false),
      precisionLabel: 'fp8',
      engine,
      parallel: { tp: 1, pp: 1, ep: 1, attnDp: 1 },
    },
    catalog.formats,
  );
  const lengths = (mean: number) =>
    fitTokenLengths({
      meanTokens: mean,
      maxTokens: 4 * mean,
      maxKind: 'generation-limit',
      ref: { source: 'test', provenance: 'assumption' },
    })!;
  return {
    prepared,
    memory: memoryFit(prepared),
    calibration: resolveCalibration(BUILTIN_CALIBRATION, accelerator, engine.name, model).params,
    replicas: 2,
    input: lengths(300),
    output: lengths(150),
    limits: { ttftP99Seconds: 0.5, tpotP99Seconds: 0.04 },
    startRequestsPerSecond: 20,
    warmupSeconds: 10,
    measuredRequests: 400,
  };
}

describe('MLPerf Server/Interactive through the serving twin', () => {
  it('fits lognormal lengths that keep the published mean and put the tail at the p99', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(2.3263478740408408)).toBeCloseTo(0.99, 6);
    const task = MLPERF_LLM_TASKS.find((t) => t.id.startsWith('llama2-70b'))!;
    // Mean and limit only: the published sample's shape is tested below.
    const out = fitTokenLengths({ ...task.output, publishedSample: undefined })!;
    let sum = 0;
    const n = 20_000;
    // Deterministic normal quantiles on a grid stand in for random draws.
    for (let i = 0; i < n; i++) {
      sum += out.sample(normalQuantile((i + 0.5) / n));
    }
    expect(sum / n).toBeCloseTo(294.45, -0.5); // within ±1.6 tokens (rounding to whole tokens)
    expect(out.sample(2.33)).toBe(1024);
    const eightB = MLPERF_LLM_TASKS.find((t) => t.id === 'llama3.1-8b')!;
    expect(fitTokenLengths(eightB.output)!.basis).toMatch(/^constant 128/);
  });

  it('fits σ to a published sample: recovers a known lognormal from its exact quantiles (mean kept)', () => {
    // Exact quantiles of a lognormal(μ = ln 100, σ = 0.7), whose mean is 100·e^{0.245}; the
    // truncation at 10⁶ is far above every quantile, so the fit must return σ = 0.7.
    const sigma = 0.7;
    const probabilities = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];
    const ref = { source: 'test', provenance: 'assumption' } as const;
    const plain = {
      meanTokens: 100 * Math.exp((sigma * sigma) / 2),
      maxTokens: 1e6,
      maxKind: 'generation-limit',
      ref,
    } as const;
    const fitted = fitTokenLengths({
      ...plain,
      publishedSample: {
        size: 1000,
        quantiles: probabilities.map((p) => [p, 100 * Math.exp(sigma * normalQuantile(p))]),
        ref,
      },
    })!;
    expect(fitted.basis).toMatch(/^lognormal σ 0\.700 .*σ fitted to 7 quantiles/);
    expect(fitted.sample(0)).toBe(100);
    expect(fitted.sample(1)).toBe(Math.round(100 * Math.exp(sigma)));
    // Without the sample the same mean and limit give the limit-as-p99 shape: another σ.
    expect(fitTokenLengths(plain)!.basis).toMatch(/^lognormal σ 2\.326 .*max read as p99/);
  });

  it('finds a rate that meets both p99 limits while 1.1× that rate misses one, deterministically', () => {
    const o = synthetic();
    const r = searchTwinRate(o)!;
    expect(r).toBeDefined();
    expect(r.p99TtftSeconds).toBeLessThanOrEqual(0.5);
    expect(r.p99TpotSeconds).toBeLessThanOrEqual(0.04);
    expect(r.at.ok).toBe(true);
    // The bracket closed within the tolerance around the answer.
    const failed = r.probes.filter((p) => !p.ok && p.requestsPerSecond > r.requestsPerSecond);
    expect(failed.length).toBeGreaterThan(0);
    expect(
      Math.min(...failed.map((p) => p.requestsPerSecond)) / r.requestsPerSecond,
    ).toBeLessThanOrEqual(1.02);
    const above = probeTwinRate(o, 1.1 * r.requestsPerSecond);
    expect(above.ok).toBe(false);
    expect(above.p99TtftSeconds > 0.5 || above.p99TpotSeconds > 0.04).toBe(true);
    // Same inputs, same answer.
    expect(searchTwinRate(synthetic())).toEqual(r);
  });
});
