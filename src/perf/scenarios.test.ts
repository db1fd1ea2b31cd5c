import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from './calibration.js';
import { memoryFit } from './memory.js';
import { rooflineOfflineBound } from './roofline-bound.js';
import { concurrencyCandidates, offlineThroughput, serverThroughput } from './scenarios.js';
import { catalog, deployment, prepared } from './test-support.js';

const d = deployment('llama-3.1-70b', 'h200-sxm', 'fp8', { tp: 1 });
const p = prepared({ ...d, engine: { ...d.engine, maxNumSeqs: 2048 } });
const ctx = {
  prepared: p,
  calibration: DEFAULT_CALIBRATION.params,
  memory: memoryFit(p),
  workload: {
    input: { meanTokens: 300, tailTokens: 1024 },
    output: { meanTokens: 300, tailTokens: 1024 },
  },
};

describe('benchmark scenarios', () => {
  it('never predicts more than the roofline bound (η = 1, no overheads)', () => {
    const offline = offlineThroughput(ctx, { numSamples: 24576, minDurationSeconds: 600 });
    const bound = rooflineOfflineBound({
      catalog,
      accelerator: d.accelerator,
      model: d.model,
      precision: d.precision,
      gpus: 1,
      workload: ctx.workload,
    });
    expect(bound).toBeDefined();
    expect(offline.outputTokensPerSecond).toBeLessThan(bound!);
  });

  it('gives no more under latency limits than the offline steady state, and less under tighter limits', () => {
    // Offline pays the end-of-run drain; an endless offline run (no drain) bounds any Poisson load.
    const offline = offlineThroughput(ctx, {
      numSamples: 24576,
      minDurationSeconds: 1e12,
    }).outputTokensPerSecond;
    const server = serverThroughput(ctx, { ttftP99Seconds: 2, tpotP99Seconds: 0.2 })!;
    const interactive = serverThroughput(ctx, { ttftP99Seconds: 0.45, tpotP99Seconds: 0.04 })!;
    expect(server.outputTokensPerSecond).toBeLessThanOrEqual(offline * 1.0001);
    expect(interactive.outputTokensPerSecond).toBeLessThan(server.outputTokensPerSecond);
    expect(interactive.p99TpotSeconds).toBeLessThanOrEqual(0.04);
  });

  it('loses throughput to the drain of long outputs in a short run', () => {
    const short = offlineThroughput(
      { ...ctx, workload: { ...ctx.workload, output: { meanTokens: 300, tailTokens: 20_000 } } },
      { numSamples: 100, minDurationSeconds: 0 },
    );
    expect(short.drainLossFraction).toBeGreaterThan(0);
  });

  it('sweeps concurrency over powers of two and midpoints up to the cap', () => {
    expect(concurrencyCandidates(8)).toEqual([1, 2, 3, 4, 6, 8]);
  });
});
