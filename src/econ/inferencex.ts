/**
 * InferenceX arithmetic, exactly as SemiAnalysis publishes it (InferenceX-app
 * `packages/app/src/lib/chart-point.ts` and `constants.ts`, commit 77ca49a, 2026-04-03):
 *
 *   USD per 1M tokens = USD/GPU-hour ÷ (tok/s/GPU × 3600 / 1e6)
 *   tok/s per MW      = tok/s/GPU ÷ (all-in kW/GPU / 1000)      (= tok/s/GPU × 1000 / kW)
 *   J per token       = all-in kW/GPU × 1000 ÷ tok/s/GPU
 *
 * USD/GPU-hour is one of three TCO tiers (`costh` hyperscaler owner, `costn` neocloud owner,
 * `costr` 3-year rental) and the MW is *provisioned* all-in utility power (GPUs, CPUs, network,
 * other IT and facility overhead, from component TDPs — not measured). Tokens are total
 * (input + output) by default; output or input may be chosen, whose per-GPU rate in
 * disaggregated serving uses decode or prefill GPUs (InferenceX's definition, passed in).
 * One difference: InferenceX shows 0 for zero throughput; this throws.
 */
import type { Basis, Metric } from '../core/basis.js';
import { requireArg } from '../core/errors.js';
import { inferencexGpuSpec, type InferencexTier } from './defaults.js';

/** USD per 1M tokens: `usdPerGpuHour / (tokensPerSecondPerGpu × 3600 / 1e6)`. */
export function inferencexUsdPerMillionTokens(
  usdPerGpuHour: number,
  tokensPerSecondPerGpu: number,
): number {
  requireArg(usdPerGpuHour >= 0, 'inferencexUsdPerMillionTokens', 'usdPerGpuHour must be ≥ 0');
  requireArg(
    tokensPerSecondPerGpu > 0,
    'inferencexUsdPerMillionTokens',
    'tokensPerSecondPerGpu must be > 0',
  );
  return usdPerGpuHour / ((tokensPerSecondPerGpu * 3600) / 1e6);
}

/** tok/s per provisioned all-in MW: `tokensPerSecondPerGpu / (allInKwPerGpu / 1000)`. */
export function inferencexTokensPerSecondPerMw(
  tokensPerSecondPerGpu: number,
  allInKwPerGpu: number,
): number {
  requireArg(
    tokensPerSecondPerGpu >= 0,
    'inferencexTokensPerSecondPerMw',
    'tokensPerSecondPerGpu must be ≥ 0',
  );
  requireArg(allInKwPerGpu > 0, 'inferencexTokensPerSecondPerMw', 'allInKwPerGpu must be > 0');
  return tokensPerSecondPerGpu / (allInKwPerGpu / 1000);
}

/** All-in joules per token: `allInKwPerGpu × 1000 / tokensPerSecondPerGpu`. */
export function inferencexJoulesPerToken(
  allInKwPerGpu: number,
  tokensPerSecondPerGpu: number,
): number {
  requireArg(allInKwPerGpu > 0, 'inferencexJoulesPerToken', 'allInKwPerGpu must be > 0');
  requireArg(
    tokensPerSecondPerGpu > 0,
    'inferencexJoulesPerToken',
    'tokensPerSecondPerGpu must be > 0',
  );
  return (allInKwPerGpu * 1000) / tokensPerSecondPerGpu;
}

export type InferencexTokenKind = 'total' | 'output' | 'input';

export interface InferencexPoint {
  /** InferenceX GPU key (`H100`, `GB200`, …) or catalog accelerator id. */
  gpu: string;
  /** Per-GPU throughput as InferenceX defines it (total = input + output). */
  tokensPerSecondPerGpu: { total: number; output?: number; input?: number };
  /** Which tokens to price and count (default `total`). */
  tokens?: InferencexTokenKind;
  /** TCO tier (default `costh`). */
  tier?: InferencexTier;
  /** Basis context of the throughput figure. */
  basis: Pick<Basis, 'model' | 'precision' | 'workload' | 'slo' | 'utilization' | 'source'>;
}

export interface InferencexResult {
  gpu: string;
  tier: InferencexTier;
  tokens: InferencexTokenKind;
  usdPerGpuHour: number;
  allInKwPerGpu: number;
  usdPerMillionTokens: Metric;
  tokensPerSecondPerMw: Metric;
  joulesPerToken: Metric;
}

/**
 * The InferenceX figures of one benchmark point with InferenceX's own constants, as Metrics
 * (provenance `modeled`: InferenceX arithmetic on the caller's throughput; boundary facility, provisioned).
 * @throws AifError for an unknown GPU, or when the chosen token kind has no throughput.
 */
export function inferencexMetrics(point: InferencexPoint): InferencexResult {
  const spec = inferencexGpuSpec(point.gpu);
  const tier = point.tier ?? 'costh';
  const tokens = point.tokens ?? 'total';
  const tps = point.tokensPerSecondPerGpu[tokens];
  requireArg(
    tps !== undefined && tps > 0,
    'inferencexMetrics',
    `${tokens} tok/s per GPU must be given and > 0`,
  );
  const usdPerGpuHour = spec.usdPerGpuHour[tier].value;
  const kw = spec.allInKwPerGpu.value;
  const constants = `InferenceX ${spec.gpu} ${tier} ${usdPerGpuHour} USD/GPU-hour, all-in ${kw} kW/GPU provisioned (${spec.allInKwPerGpu.ref.source}, ${spec.allInKwPerGpu.ref.date})`;
  const basis = (over: Partial<Basis>): Basis => ({
    ...point.basis,
    boundary: 'facility',
    currencyYear: 'n/a',
    provenance: 'modeled',
    source: `${point.basis.source}; ${constants}; InferenceX arithmetic (econ/inferencex.ts)`,
    ...over,
  });
  const words = tokens === 'total' ? 'total (input + output)' : tokens;
  return {
    gpu: spec.gpu,
    tier,
    tokens,
    usdPerGpuHour,
    allInKwPerGpu: kw,
    usdPerMillionTokens: {
      name: `InferenceX cost per 1M ${words} tokens (${tier})`,
      value: inferencexUsdPerMillionTokens(usdPerGpuHour, tps),
      unit: 'USD/1M tokens',
      basis: basis({
        currencyYear: `USD-${(spec.usdPerGpuHour[tier].ref.date ?? '').slice(0, 4)}`,
      }),
    },
    tokensPerSecondPerMw: {
      name: `InferenceX ${words} tok/s per all-in MW`,
      value: inferencexTokensPerSecondPerMw(tps, kw),
      unit: 'tok/s/MW',
      basis: basis({ powerKind: 'provisioned' }),
    },
    joulesPerToken: {
      name: `InferenceX all-in joules per ${words} token`,
      value: inferencexJoulesPerToken(kw, tps),
      unit: 'J/token',
      basis: basis({ powerKind: 'provisioned' }),
    },
  };
}
