/**
 * Cost per token (DESIGN §3): all-in cost per hour ÷ tokens per hour, at a stated utilization
 * and token goodput, split between uncached input, cached input and output tokens by a stated
 * rule.
 *
 * A split rule gives each token kind k a relative weight w_k per token. With N_k tokens/s of
 * kind k, C USD/hour and goodput share g (tokens of requests that met their SLOs ÷ all tokens):
 *
 *   share_k             = w_k·N_k / Σ_j w_j·N_j
 *   USD per 1M tokens_k = share_k·C / (g·N_k·3600) × 1e6 = w_k·C·1e6 / (3600·g·Σ_j w_j·N_j)
 *   USD per 1M blended  = C·1e6 / (3600·g·Σ_j N_j)           (all kinds together; rule-free)
 *
 * so Σ_k price_k·g·N_k·3600/1e6 = C: the prices recover the hourly cost. Rules:
 * - `accelerator-time` (default): w_k = accelerator-seconds one token of kind k consumes
 *   (prefill time for uncached input, a small reuse cost for cached input, decode time for
 *   output), given by the caller;
 * - `price-ratio`: w_k = a user ratio input : cached : output, as API price sheets do;
 * - `total-tokens`: w_k = 1, every token alike (InferenceX's default).
 * Cost per request / agent session = Σ_k price_k × tokens_k per request / session.
 */
import type { Basis, Metric } from '../core/basis.js';
import { AifError, ERROR_CODES, requireArg } from '../core/errors.js';

export const TOKEN_KINDS = ['uncachedInput', 'cachedInput', 'output'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export type PerTokenKind = Record<TokenKind, number>;

const KIND_WORDS: Record<TokenKind, string> = {
  uncachedInput: 'uncached input',
  cachedInput: 'cached input',
  output: 'output',
};

export type CostSplit =
  | { rule: 'accelerator-time'; acceleratorSecondsPerToken: PerTokenKind; derivation?: string }
  | { rule: 'price-ratio'; ratio: PerTokenKind }
  | { rule: 'total-tokens' };
export type CostSplitRuleName = CostSplit['rule'];

/** One split rule: its weights per token and a description for the basis. */
export interface CostSplitRule<S extends CostSplit = CostSplit> {
  name: S['rule'];
  describe(split: S): string;
  weightsPerToken(split: S): PerTokenKind;
}

const g6 = (x: number): string => Number(x.toPrecision(6)).toString();
const triple = (v: PerTokenKind): string => TOKEN_KINDS.map((k) => g6(v[k])).join(':');

type SplitRules = { [K in CostSplitRuleName]: CostSplitRule<Extract<CostSplit, { rule: K }>> };

/** The split rules, by name. */
export const COST_SPLIT_RULES: Readonly<SplitRules> = {
  'accelerator-time': {
    name: 'accelerator-time',
    describe: (s) =>
      `accelerator-time: shares by accelerator-seconds per token (uncached input:cached input:output = ${triple(s.acceleratorSecondsPerToken)} s)${s.derivation ? `; ${s.derivation}` : ''}`,
    weightsPerToken: (s) => s.acceleratorSecondsPerToken,
  },
  'price-ratio': {
    name: 'price-ratio',
    describe: (s) =>
      `price-ratio: uncached input:cached input:output = ${triple(s.ratio)} per token`,
    weightsPerToken: (s) => s.ratio,
  },
  'total-tokens': {
    name: 'total-tokens',
    describe: () =>
      'total-tokens: every token, input or output, cached or not, costs the same (InferenceX)',
    weightsPerToken: () => ({ uncachedInput: 1, cachedInput: 1, output: 1 }),
  },
};

export const COST_SPLIT_RULE_NAMES = Object.keys(COST_SPLIT_RULES) as CostSplitRuleName[];

/** The rule of a split, typed to it (the registry lookup; no branching on names). */
function ruleOf(split: CostSplit): CostSplitRule {
  const rule = (COST_SPLIT_RULES as Record<string, CostSplitRule | undefined>)[split.rule];
  if (!rule)
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `costPerToken: unknown split rule '${String(split.rule)}' (known: ${COST_SPLIT_RULE_NAMES.join(', ')})`,
    );
  return rule;
}

/** The basis fields the caller knows; the cost fields are filled in here. */
export type CostBasisContext = Pick<
  Basis,
  'model' | 'precision' | 'workload' | 'slo' | 'utilization' | 'source'
> &
  Partial<Pick<Basis, 'boundary'>>;

export interface CostPerTokenInput {
  /** All-in cost of the capacity, USD per hour, in `currencyYear`. */
  usdPerHour: number;
  currencyYear: string;
  /** Tokens per second of each kind processed by that capacity (all requests). */
  tokensPerSecond: PerTokenKind;
  /**
   * Output tokens/s of requests that met every SLO (token goodput). Absent = all output
   * counts. The same good share is applied to every token kind.
   */
  outputGoodputTokensPerSecond?: number;
  split: CostSplit;
  basis: CostBasisContext;
  /** Mean tokens of each kind per request / per agent session, for cost per request / session. */
  tokensPerRequest?: PerTokenKind;
  tokensPerSession?: PerTokenKind;
}

export interface CostPerTokenResult {
  rule: CostSplitRuleName;
  ruleDescription: string;
  /** Share of tokens counted as good (token goodput ÷ output tok/s). */
  goodputShare: number;
  /** Share of the hourly cost each kind carries under the rule (sums to 1). */
  costShare: PerTokenKind;
  usdPerMillion: Record<TokenKind | 'blended', Metric>;
  usdPerRequest?: Metric;
  usdPerSession?: Metric;
}

/**
 * Cost per 1M tokens of each kind, blended, and per request/session (formulas above), as
 * `Metric`s with provenance `modeled`, the currency-year, the utilization and goodput they hold
 * at, and the split rule in the basis source and in each name.
 * @throws AifError E_INVALID_ARGUMENT for negative inputs, no tokens, goodput above output or
 *   zero, or weights that give every processed token zero weight.
 */
export function costPerToken(input: CostPerTokenInput): CostPerTokenResult {
  const fn = 'costPerToken';
  const n = input.tokensPerSecond;
  requireArg(input.usdPerHour >= 0, fn, 'usdPerHour must be ≥ 0');
  for (const k of TOKEN_KINDS) requireArg(n[k] >= 0, fn, `tokensPerSecond.${k} must be ≥ 0`);
  const totalTokensPerSecond = n.uncachedInput + n.cachedInput + n.output;
  requireArg(totalTokensPerSecond > 0, fn, 'some tokens must be processed');
  let goodputShare = 1;
  if (input.outputGoodputTokensPerSecond !== undefined) {
    const good = input.outputGoodputTokensPerSecond;
    requireArg(n.output > 0, fn, 'goodput needs output tokens');
    requireArg(
      good > 0 && good <= n.output * (1 + 1e-12),
      fn,
      'token goodput must be in (0, output tok/s]',
    );
    goodputShare = Math.min(1, good / n.output);
  }
  const rule = ruleOf(input.split);
  const w = rule.weightsPerToken(input.split);
  for (const k of TOKEN_KINDS)
    requireArg(
      w[k] >= 0 && Number.isFinite(w[k]),
      fn,
      `split weight for ${k} must be a finite number ≥ 0`,
    );
  const weighted = TOKEN_KINDS.reduce((a, k) => a + w[k] * n[k], 0);
  requireArg(weighted > 0, fn, `split rule ${rule.name} gives the processed tokens zero weight`);

  const description = rule.describe(input.split);
  const goodWords =
    goodputShare === 1 && input.outputGoodputTokensPerSecond === undefined
      ? 'all tokens counted (no goodput reduction)'
      : `token goodput ${g6(goodputShare * 100)}% of tokens`;
  const basis: Basis = {
    model: input.basis.model,
    precision: input.basis.precision,
    workload: input.basis.workload,
    slo: input.basis.slo,
    utilization: `${input.basis.utilization}; ${goodWords}`,
    boundary: input.basis.boundary ?? 'facility',
    currencyYear: input.currencyYear,
    provenance: 'modeled',
    source: `${input.basis.source}; cost split ${description}`,
  };
  const perMillion = (weight: number): number =>
    (weight * input.usdPerHour * 1e6) / (3600 * goodputShare * weighted);
  const price = {} as PerTokenKind;
  const costShare = {} as PerTokenKind;
  for (const k of TOKEN_KINDS) {
    price[k] = perMillion(w[k]);
    costShare[k] = (w[k] * n[k]) / weighted;
  }
  const m = (name: string, value: number, unit: string): Metric => ({ name, value, unit, basis });
  const usdPerMillion = {
    uncachedInput: m(
      `cost per 1M uncached input tokens (split: ${rule.name})`,
      price.uncachedInput,
      'USD/1M tokens',
    ),
    cachedInput: m(
      `cost per 1M cached input tokens (split: ${rule.name})`,
      price.cachedInput,
      'USD/1M tokens',
    ),
    output: m(`cost per 1M output tokens (split: ${rule.name})`, price.output, 'USD/1M tokens'),
    blended: m(
      'cost per 1M tokens, blended (all kinds)',
      (input.usdPerHour * 1e6) / (3600 * goodputShare * totalTokensPerSecond),
      'USD/1M tokens',
    ),
  };
  const perUnit = (tokens: PerTokenKind): number =>
    TOKEN_KINDS.reduce((a, k) => a + (price[k] * tokens[k]) / 1e6, 0);
  const result: CostPerTokenResult = {
    rule: rule.name,
    ruleDescription: description,
    goodputShare,
    costShare,
    usdPerMillion,
  };
  if (input.tokensPerRequest) {
    const t = input.tokensPerRequest;
    result.usdPerRequest = m(
      `cost per request (${g6(t.uncachedInput)} uncached + ${g6(t.cachedInput)} cached input, ${g6(t.output)} output tokens; split: ${rule.name})`,
      perUnit(t),
      'USD',
    );
  }
  if (input.tokensPerSession) {
    const t = input.tokensPerSession;
    result.usdPerSession = m(
      `cost per agent session (${g6(t.uncachedInput)} uncached + ${g6(t.cachedInput)} cached input, ${g6(t.output)} output tokens; split: ${rule.name})`,
      perUnit(t),
      'USD',
    );
  }
  return result;
}

export { KIND_WORDS as TOKEN_KIND_WORDS };
