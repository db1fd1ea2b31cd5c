import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION } from './calibration.js';
import { memoryFit } from './memory.js';
import { steadyState } from './steady-state.js';
import { catalog, deployment, prepared } from './test-support.js';

const p = prepared(deployment('llama-3.1-70b', 'h200-sxm', 'fp8', { tp: 2 }));
const m = memoryFit(p);
const at = (concurrency: number, arrivals: 'closed-loop' | 'poisson' = 'closed-loop') =>
  steadyState({
    prepared: p,
    calibration: DEFAULT_CALIBRATION.params,
    memory: m,
    request: { inputTokens: 1024, outputTokens: 256 },
    concurrency,
    arrivals,
  });

describe('steady state', () => {
  it("obeys Little's law: requests/s × E2E = requests in the system (no admission wait)", () => {
    for (const b of [1, 8, 64]) {
      const s = at(b);
      expect(s.runningSeqs).toBe(b);
      // E2E counts from arrival; the cycle counts every slot's full lifetime — equal in steady state
      // up to the half-iteration the first token waits for, which is in E2E only.
      expect(s.requestsPerSecond * s.e2eSeconds).toBeGreaterThan(b * 0.9);
      expect(s.requestsPerSecond * s.e2eSeconds).toBeLessThan(b * 1.1);
    }
  });

  it('trades interactivity for throughput as concurrency rises', () => {
    const xs = [1, 4, 16, 64, 128].map((b) => at(b));
    for (let i = 1; i < xs.length; i++) {
      expect(xs[i]!.outputTokensPerSecond).toBeGreaterThan(xs[i - 1]!.outputTokensPerSecond);
      expect(xs[i]!.tpotSeconds).toBeGreaterThan(xs[i - 1]!.tpotSeconds);
    }
  });

  it('makes clients beyond the KV capacity wait for admission under full reservation', () => {
    const d = deployment('llama-3.1-70b', 'h100-sxm', 'fp8', { tp: 1 });
    const reserve = {
      ...d,
      engine: { ...d.engine, kvAdmission: 'full-reservation' as const, maxNumSeqs: 4096 },
    };
    const pr = prepared(reserve);
    const s = steadyState({
      prepared: pr,
      calibration: DEFAULT_CALIBRATION.params,
      memory: memoryFit(pr),
      request: { inputTokens: 4000, outputTokens: 4000 },
      concurrency: 512,
      arrivals: 'closed-loop',
    });
    expect(s.limitedBy).toBe('kv-cache');
    expect(s.runningSeqs).toBeLessThan(512);
    expect(s.ttftSeconds).toBeGreaterThan(s.cycleSeconds * 0.5);
  });

  it('reports utilization within [0, 1]', () => {
    const s = at(64);
    expect(s.mfu).toBeGreaterThan(0);
    expect(s.mfu).toBeLessThanOrEqual(1);
    expect(s.mbu).toBeGreaterThan(0);
    expect(s.mbu).toBeLessThanOrEqual(1);
  });

  it('charges short prompts that share iterations even when the host time hides one alone', () => {
    // Async scheduling with a host cost far above the device time: one 200-token prompt alone
    // hides under the host time, but at 4096 running requests ~30 prompts start per iteration.
    const d = deployment('llama-3.1-8b', 'h200-sxm', 'fp8');
    const dep = { ...d, engine: { ...d.engine, asyncScheduling: true, maxNumSeqs: 4096 } };
    const pr = prepared(dep);
    const c = { ...DEFAULT_CALIBRATION.params, hostOverheadPerSeqSeconds: 20e-6 };
    const s = steadyState({
      prepared: pr,
      calibration: c,
      memory: memoryFit(pr),
      request: { inputTokens: 200, outputTokens: 128 },
      concurrency: 4096,
      arrivals: 'poisson',
    });
    expect(s.decodeStep.hostSeconds).toBeGreaterThan(s.decodeStep.deviceSeconds);
    // Device work per cycle (decode steps + all prefills) cannot exceed the cycle time.
    const deviceWork = s.mfu * s.cycleSeconds * pr.attentionProjection.peakFlopsPerSecond;
    expect(
      deviceWork / (pr.attentionProjection.peakFlopsPerSecond * c.gemmComputeEfficiency),
    ).toBeLessThanOrEqual(s.cycleSeconds * 1.0001);
    expect(s.prefillExtraSeconds).toBeGreaterThan(0);
  });
});

describe('speculative decoding', () => {
  it('cuts TPOT at small batch by about the acceptance length, less the drafter and verify cost', () => {
    const d = deployment('llama-3.3-70b', 'h200-sxm', 'fp8', { tp: 2 });
    const spec = catalog.speculative.find((s) => s.modelId === 'llama-3.3-70b')!;
    const plain = prepared(d);
    const withSpec = prepared({ ...d, speculative: spec });
    const run = (p: typeof plain) =>
      steadyState({
        prepared: p,
        calibration: DEFAULT_CALIBRATION.params,
        memory: memoryFit(p),
        request: { inputTokens: 1000, outputTokens: 500 },
        concurrency: 1,
        arrivals: 'closed-loop',
      });
    const ratio = run(plain).tpotSeconds / run(withSpec).tpotSeconds;
    // Memory-bound single-sequence decode: verifying k+1 tokens costs about one step, so the
    // speed-up approaches τ (3.26 for this drafter) but stays below it.
    expect(ratio).toBeGreaterThan(1.5);
    expect(ratio).toBeLessThan(spec.meanAcceptanceLength);
  });
});
