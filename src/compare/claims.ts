/**
 * The claims registry's model (DESIGN §1.3, §10): a vendor claim is data — what it states, the
 * conditions it states and the ones it leaves out, and the arithmetic behind it when published.
 * A claim stays `directional` until the twin reproduces it at the claim's own conditions
 * (`reproduced-by-model`) or a measurement does (`reproduced-by-measurement`); a model or
 * measured ratio far from the claim makes it `contradicted`.
 *
 * Pure: the built-in claims live in `claims-data.ts`, the file schema in `claims-schema.ts`,
 * the twin's side of a validation in `app/claims.ts`.
 */
import { requireArg } from '../core/errors.js';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** What a claim measures. */
export const CLAIM_METRICS = [
  'tokens-per-mw',
  'cost-per-token',
  'throughput-per-gpu',
  'throughput',
  'revenue-per-investment',
] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

/** Conditions a claim can leave out; each changes the ratio by integer factors. */
export const CLAIM_CONDITIONS = [
  'model',
  'workload',
  'precision-pairing',
  'interactivity',
  'price-basis',
  'power-basis',
  'speculative-decoding',
  'system-size',
  'software-version',
  'hardware',
] as const;
export type ClaimCondition = (typeof CLAIM_CONDITIONS)[number];

export const CLAIM_STATUSES = [
  'directional',
  'reproduced-by-model',
  'reproduced-by-measurement',
  'contradicted',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Hardware one side of a claim runs on, as the claim states it. */
export interface ClaimHardware {
  /** As the claim words it: `GB300 NVL72`, `Hopper`. */
  label: string;
  /** Catalog system id, when the claim names the system precisely enough; absent otherwise. */
  systemId?: string;
  /** Precision preset as stated (`nvfp4`, `fp8`); absent when the claim does not say. */
  precision?: string;
  /** Speculative decoding as stated: a drafter (`mtp`, `eagle3`) or `none`; absent when unstated. */
  speculative?: string;
}

/** A number the claim's arithmetic uses, with where it comes from. */
export interface ClaimInput {
  value: number;
  unit: string;
  source: string;
}

export interface ClaimArithmetic {
  /** Formula id from `CLAIM_FORMULAS`. */
  formula: ClaimFormulaId;
  /** Inputs by the names the formula requires. */
  inputs: Record<string, ClaimInput>;
  /** Intermediate figures published with the claim (e.g. each side's cost per M tokens). */
  published?: { name: string; value: number; unit: string }[];
}

export interface MissingCondition {
  condition: ClaimCondition;
  note: string;
}

export interface Claim {
  /** Stable id, kebab-case. */
  id: string;
  /** Who makes the claim: `NVIDIA`, `MLCommons submitter`. */
  claimant: string;
  /** The claim in words, as published. */
  statement: string;
  source: string;
  /** Publication date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  date: string;
  metric: ClaimMetric;
  /** `ratio`: subject vs baseline (× ; for cost, × lower); `absolute`: a value of the subject. */
  kind: 'ratio' | 'absolute';
  /** The claimed value: the ratio (≥ 1, "x better") or the absolute figure. */
  value: number;
  unit: string;
  /** `up-to`: the best point of a curve; `at`: at the stated conditions; `approx`: rounded. */
  qualifier: 'up-to' | 'at' | 'approx';
  /** Catalog model id the claim is about, when it names one. */
  model?: string;
  subject: ClaimHardware;
  /** The comparison baseline (ratio claims). */
  baseline?: ClaimHardware;
  /** Fixed sequence lengths of the workload, when stated. */
  workload?: { inputTokens: number; outputTokens: number };
  /** Interactivity the claim holds at, tok/s per user (1/TPOT), when stated. */
  interactivityTokensPerSecondPerUser?: number;
  statedConditions: string[];
  missingConditions: MissingCondition[];
  arithmetic?: ClaimArithmetic;
  /** Reference items (reference/public-data.json `item`) the claim and its inputs come from. */
  referenceItems?: string[];
  notes?: string;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

interface ClaimFormula {
  inputs: readonly string[];
  /** The formula in words, with the input names. */
  text: string;
  compute: (x: Record<string, number>) => number;
}

const v = (x: Record<string, number>, k: string): number => x[k]!;

/** Cost per million tokens = USD per GPU-hour ÷ (tok/s per GPU × 3600 s/h ÷ 1e6) (InferenceX). */
export const costPerMillionTokensUsd = (
  usdPerGpuHour: number,
  tokensPerSecondPerGpu: number,
): number => usdPerGpuHour / ((tokensPerSecondPerGpu * 3600) / 1e6);

/** Tok/s per MW = tok/s per GPU ÷ (kW per GPU ÷ 1000) (InferenceX: tput_per_gpu·1000/power). */
export const tokensPerSecondPerMw = (tokensPerSecondPerGpu: number, kwPerGpu: number): number =>
  (tokensPerSecondPerGpu * 1000) / kwPerGpu;

/**
 * Formula registry for claim arithmetic. Sources: InferenceX-app constants.ts
 * (tok/s/MW = tput_per_gpu·1000 / kW per GPU; cost per M tokens = USD/GPU-h ÷ (tput·3600/1e6)),
 * reference/public-data.json `inferencex_assumption` items.
 */
export const CLAIM_FORMULAS = {
  'tokens-per-mw-ratio': {
    inputs: [
      'subjectTokensPerSecondPerGpu',
      'subjectKwPerGpu',
      'baselineTokensPerSecondPerGpu',
      'baselineKwPerGpu',
    ],
    text: '(subjectTokensPerSecondPerGpu ÷ subjectKwPerGpu) ÷ (baselineTokensPerSecondPerGpu ÷ baselineKwPerGpu)',
    compute: (x) =>
      tokensPerSecondPerMw(v(x, 'subjectTokensPerSecondPerGpu'), v(x, 'subjectKwPerGpu')) /
      tokensPerSecondPerMw(v(x, 'baselineTokensPerSecondPerGpu'), v(x, 'baselineKwPerGpu')),
  },
  'cost-per-token-ratio': {
    inputs: [
      'subjectTokensPerSecondPerGpu',
      'subjectUsdPerGpuHour',
      'baselineTokensPerSecondPerGpu',
      'baselineUsdPerGpuHour',
    ],
    text: 'baseline USD per M tokens ÷ subject USD per M tokens, USD per M tokens = UsdPerGpuHour ÷ (TokensPerSecondPerGpu × 3600 ÷ 1e6)',
    compute: (x) =>
      costPerMillionTokensUsd(
        v(x, 'baselineUsdPerGpuHour'),
        v(x, 'baselineTokensPerSecondPerGpu'),
      ) /
      costPerMillionTokensUsd(v(x, 'subjectUsdPerGpuHour'), v(x, 'subjectTokensPerSecondPerGpu')),
  },
  'throughput-ratio': {
    inputs: ['subjectTokensPerSecondPerGpu', 'baselineTokensPerSecondPerGpu'],
    text: 'subjectTokensPerSecondPerGpu ÷ baselineTokensPerSecondPerGpu',
    compute: (x) => v(x, 'subjectTokensPerSecondPerGpu') / v(x, 'baselineTokensPerSecondPerGpu'),
  },
  'cost-per-million-tokens': {
    inputs: ['usdPerGpuHour', 'tokensPerSecondPerGpu'],
    text: 'usdPerGpuHour ÷ (tokensPerSecondPerGpu × 3600 ÷ 1e6)',
    compute: (x) => costPerMillionTokensUsd(v(x, 'usdPerGpuHour'), v(x, 'tokensPerSecondPerGpu')),
  },
  quotient: {
    inputs: ['numerator', 'denominator'],
    text: 'numerator ÷ denominator',
    compute: (x) => v(x, 'numerator') / v(x, 'denominator'),
  },
} as const satisfies Record<string, ClaimFormula>;

export type ClaimFormulaId = keyof typeof CLAIM_FORMULAS;
export const CLAIM_FORMULA_IDS = Object.keys(CLAIM_FORMULAS) as ClaimFormulaId[];

export interface ArithmeticResult {
  formula: ClaimFormulaId;
  /** The formula with the published numbers in place of the names. */
  text: string;
  value: number;
  claimedValue: number;
  /** value ÷ claimed − 1. */
  deviationFraction: number;
}

const num = (x: number): string => Number(x.toPrecision(6)).toString();

/**
 * Recompute a claim's value from its published inputs with the claim's formula.
 * E.g. GB300 NVL72 tokens per MW vs H200: (6000 ÷ 2.1) ÷ (90 ÷ 1.73) = 54.9× against "up to 50×".
 * @returns undefined when the claim publishes no arithmetic inputs.
 * @throws AifError E_INVALID_ARGUMENT when an input the formula needs is missing or not > 0.
 */
export function reproduceArithmetic(claim: Claim): ArithmeticResult | undefined {
  const a = claim.arithmetic;
  if (!a) return undefined;
  const formula: ClaimFormula = CLAIM_FORMULAS[a.formula];
  const values: Record<string, number> = {};
  for (const name of formula.inputs) {
    const input = a.inputs[name];
    requireArg(
      input !== undefined && Number.isFinite(input.value) && input.value > 0,
      'reproduceArithmetic',
      `claim '${claim.id}': formula '${a.formula}' needs input '${name}' > 0`,
    );
    values[name] = input.value;
  }
  const value = formula.compute(values);
  let text: string = formula.text;
  for (const name of [...formula.inputs].sort((x, y) => y.length - x.length))
    text = text.split(name).join(`${num(values[name]!)}`);
  return {
    formula: a.formula,
    text: `${text} = ${num(value)}`,
    value,
    claimedValue: claim.value,
    deviationFraction: value / claim.value - 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/** A model or measured ratio within this fraction of the claim reproduces it (inclusive). */
export const REPRODUCED_WITHIN_FRACTION = 0.25;
/** A model or measured ratio further than this fraction from the claim contradicts it (exclusive). */
export const CONTRADICTED_BEYOND_FRACTION = 0.5;

export interface StatusInput {
  claimedValue: number;
  /** The twin's value at the claim's own conditions. */
  modelValue?: number;
  /** A measured value at the claim's own conditions. */
  measuredValue?: number;
  /** Conditions the model could not match (left out by the claim, or not modelable). */
  conditionsMissing: readonly string[];
}

export interface StatusResult {
  status: ClaimStatus;
  /** (value − claimed) ÷ claimed, of the evidence the status rests on. */
  deviationFraction?: number;
  evidence: 'measurement' | 'model' | 'none';
  reason: string;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/**
 * Classify a claim from the evidence, with deviation d = (value − claimed) ÷ claimed:
 * - a measured value with |d| ≤ 25% → `reproduced-by-measurement`; |d| > 50% → `contradicted`;
 * - else a model value at the claim's own conditions (none missing): |d| ≤ 25% →
 *   `reproduced-by-model`, |d| > 50% → `contradicted`;
 * - otherwise (25% < |d| ≤ 50%, no evidence, or conditions missing) → `directional`.
 * A measurement is taken at the claim's conditions by whoever supplies it.
 */
export function classifyClaimStatus(input: StatusInput): StatusResult {
  requireArg(
    Number.isFinite(input.claimedValue) && input.claimedValue > 0,
    'classifyClaimStatus',
    'claimedValue must be a finite number > 0',
  );
  const dev = (x: number) => x / input.claimedValue - 1;
  if (input.measuredValue !== undefined) {
    const d = dev(input.measuredValue);
    if (Math.abs(d) <= REPRODUCED_WITHIN_FRACTION)
      return {
        status: 'reproduced-by-measurement',
        deviationFraction: d,
        evidence: 'measurement',
        reason: `measured value ${num(input.measuredValue)} is within ±${REPRODUCED_WITHIN_FRACTION * 100}% of the claim (${pct(d)})`,
      };
    if (Math.abs(d) > CONTRADICTED_BEYOND_FRACTION)
      return {
        status: 'contradicted',
        deviationFraction: d,
        evidence: 'measurement',
        reason: `measured value ${num(input.measuredValue)} is more than ±${CONTRADICTED_BEYOND_FRACTION * 100}% from the claim (${pct(d)})`,
      };
  }
  if (input.conditionsMissing.length)
    return {
      status: 'directional',
      ...(input.modelValue !== undefined ? { deviationFraction: dev(input.modelValue) } : {}),
      evidence: 'none',
      reason: `conditions missing or not modelable: ${input.conditionsMissing.join('; ')}`,
    };
  if (input.modelValue === undefined)
    return {
      status: 'directional',
      evidence: 'none',
      reason: 'no model or measured value at the claim’s conditions',
    };
  const d = dev(input.modelValue);
  if (Math.abs(d) <= REPRODUCED_WITHIN_FRACTION)
    return {
      status: 'reproduced-by-model',
      deviationFraction: d,
      evidence: 'model',
      reason: `model value ${num(input.modelValue)} is within ±${REPRODUCED_WITHIN_FRACTION * 100}% of the claim (${pct(d)})`,
    };
  if (Math.abs(d) > CONTRADICTED_BEYOND_FRACTION)
    return {
      status: 'contradicted',
      deviationFraction: d,
      evidence: 'model',
      reason: `model value ${num(input.modelValue)} is more than ±${CONTRADICTED_BEYOND_FRACTION * 100}% from the claim (${pct(d)})`,
    };
  return {
    status: 'directional',
    deviationFraction: d,
    evidence: 'model',
    reason: `model value ${num(input.modelValue)} is between ±${REPRODUCED_WITHIN_FRACTION * 100}% and ±${CONTRADICTED_BEYOND_FRACTION * 100}% of the claim (${pct(d)})`,
  };
}

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/** A registry: built-in claims plus user claims, ids unique. */
export interface ClaimRegistry {
  claims: readonly Claim[];
  byId: ReadonlyMap<string, Claim>;
}

/**
 * Build a registry from claim lists, later lists after earlier ones.
 * @throws AifError E_INVALID_ARGUMENT on a duplicate id.
 */
export function createClaimRegistry(...lists: readonly (readonly Claim[])[]): ClaimRegistry {
  const byId = new Map<string, Claim>();
  for (const list of lists)
    for (const c of list) {
      requireArg(!byId.has(c.id), 'createClaimRegistry', `claim id '${c.id}' is not unique`);
      byId.set(c.id, c);
    }
  return { claims: [...byId.values()], byId };
}
