import { describe, expect, it } from 'vitest';
import { INFERENCEX_GPU_SPECS, INFERENCEX_TIERS, inferencexGpuSpec } from './defaults.js';
import {
  inferencexJoulesPerToken,
  inferencexMetrics,
  inferencexTokensPerSecondPerMw,
  inferencexUsdPerMillionTokens,
} from './inferencex.js';

const BASIS = {
  model: 'gpt-oss-120b',
  precision: 'fp4',
  workload: '1k/8k',
  slo: 'none' as const,
  utilization: '90 tok/s/user',
  source: 'test',
};

describe('InferenceX arithmetic', () => {
  // Vectors of InferenceX-app's own tests (packages/app/src/lib/chart-point.test.ts), with its
  // mocked GPU spec { power: 700, costh: 2.8, costn: 1.4, costr: 0.7 }.
  it('reproduces InferenceX-app cost vectors: rate / (tok/s × 3600 / 1e6)', () => {
    // 1000 tok/s → 3.6 M tokens/hour → 2.8 / 3.6 (total); 500 → 2.8 / 1.8 (output); 200 → 2.8 / 0.72 (input)
    expect(inferencexUsdPerMillionTokens(2.8, 1000)).toBeCloseTo(2.8 / 3.6, 12);
    expect(inferencexUsdPerMillionTokens(1.4, 1000)).toBeCloseTo(1.4 / 3.6, 12);
    expect(inferencexUsdPerMillionTokens(2.8, 500)).toBeCloseTo(2.8 / 1.8, 12);
    expect(inferencexUsdPerMillionTokens(0.7, 200)).toBeCloseTo(0.7 / 0.72, 12);
  });

  it('reproduces InferenceX-app power vectors: tok/s × 1000 / kW and kW × 1000 / tok/s', () => {
    expect(inferencexTokensPerSecondPerMw(1000, 700)).toBeCloseTo((1000 * 1000) / 700, 9);
    expect(inferencexTokensPerSecondPerMw(800, 700)).toBeCloseTo((800 * 1000) / 700, 9);
    expect(inferencexJoulesPerToken(700, 2000)).toBeCloseTo(350, 12);
    expect(inferencexJoulesPerToken(700, 150)).toBeCloseTo(4666.6667, 4);
  });

  it("reproduces the v1 article's tok/s per all-in MW from per-GPU throughput and the published kW", () => {
    // InferenceMAX v1 (2025-10), gpt-oss-120B 1k/8k @ 90 tok/s/user: H100 900,000 and B200 2,800,000
    // tok/s per MW; with all-in 1.73 and 2.17 kW/GPU the per-GPU rates are 900000 × 1.73 / 1000 =
    // 1557 and 2800000 × 2.17 / 1000 = 6076 tok/s/GPU, which map back exactly.
    expect(
      inferencexTokensPerSecondPerMw(1557, INFERENCEX_GPU_SPECS.H100!.allInKwPerGpu.value),
    ).toBeCloseTo(900_000, 6);
    expect(
      inferencexTokensPerSecondPerMw(6076, INFERENCEX_GPU_SPECS.B200!.allInKwPerGpu.value),
    ).toBeCloseTo(2_800_000, 6);
  });

  it('keeps the published rule that B300/GB300 rates are 1.2× B200/GB200', () => {
    // constants.ts comment: "B300/GB300 pricing temporary = 1.2x B200/GB200"; rates are given to 3 decimals
    for (const tier of INFERENCEX_TIERS) {
      expect(INFERENCEX_GPU_SPECS.B300!.usdPerGpuHour[tier].value).toBeCloseTo(
        1.2 * INFERENCEX_GPU_SPECS.B200!.usdPerGpuHour[tier].value,
        3,
      );
      expect(INFERENCEX_GPU_SPECS.GB300!.usdPerGpuHour[tier].value).toBeCloseTo(
        1.2 * INFERENCEX_GPU_SPECS.GB200!.usdPerGpuHour[tier].value,
        3,
      );
    }
  });

  it('prices total tokens at the hyperscaler tier by default, with output selectable', () => {
    // H100 costh 1.30 USD/GPU-hour; 2000 total tok/s/GPU → 1.3 / 7.2 = 0.180556 USD/1M;
    // 400 output tok/s/GPU → 1.3 / 1.44 = 0.902778 USD/1M output
    const total = inferencexMetrics({
      gpu: 'H100',
      tokensPerSecondPerGpu: { total: 2000, output: 400 },
      basis: BASIS,
    });
    expect(total.tier).toBe('costh');
    expect(total.usdPerMillionTokens.value).toBeCloseTo(0.180556, 6);
    expect(total.tokensPerSecondPerMw.basis.powerKind).toBe('provisioned');
    const out = inferencexMetrics({
      gpu: 'h100-sxm',
      tokens: 'output',
      tokensPerSecondPerGpu: { total: 2000, output: 400 },
      basis: BASIS,
    });
    expect(out.usdPerMillionTokens.value).toBeCloseTo(0.902778, 6);
    expect(out.usdPerMillionTokens.name).toContain('output');
  });

  it('refuses a token kind without throughput and an unknown GPU', () => {
    expect(() =>
      inferencexMetrics({
        gpu: 'H100',
        tokens: 'input',
        tokensPerSecondPerGpu: { total: 1 },
        basis: BASIS,
      }),
    ).toThrow(/input tok\/s/);
    expect(() => inferencexGpuSpec('TPU-v7')).toThrow(/known: B200, B300, GB200/);
  });
});
