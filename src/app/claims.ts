/**
 * Use case `claims validate`: check a vendor claim against its own arithmetic and against
 * aifactory's analytical model (DESIGN §1.3, §10).
 *
 * 1. Reproduce the claim's arithmetic from its published inputs (compare/claims.ts).
 * 2. Build one scenario per side (subject, baseline) with the claim's model, a fixed-length
 *    closed-loop workload (the claim's ISL/OSL, else the stated default) and each feasible
 *    parallel plan of one system; estimate each (`estimateScenario`) and take the
 *    throughput–interactivity envelope over the plans (InferenceX-style: the best tok/s per GPU
 *    at ≥ a given tok/s per user, linear between frontier points).
 * 3. Read both envelopes at several interactivity levels, at EQUAL precision (fp8 both sides)
 *    and, where the claim states it, at the claim's precision pairing; speculative decoding on
 *    both sides or neither. The ratio per row follows the claim's metric:
 *    throughput per GPU: tS/tB; tokens per MW: (tS/PS)/(tB/PB) with P the provisioned facility
 *    watts per GPU (nameplate × PUE; PUE equal on both sides, so it cancels); cost per token:
 *    (priceB/tB)/(priceS/tS) with the $/GPU-hour the claim publishes.
 * 4. Classify (classifyClaimStatus): the model's value at the claim's own conditions against the
 *    claim; `directional` whenever a condition is missing or not modelable.
 *
 * Hardware or models the catalog lacks yield `directional` with a note naming them — never a
 * guessed number. Pure.
 */
import type { Catalog } from '../catalog/catalog.js';
import {
  classifyClaimStatus,
  reproduceArithmetic,
  type ArithmeticResult,
  type Claim,
  type ClaimHardware,
  type ClaimStatus,
} from '../compare/claims.js';
import type { CalibrationTable } from '../perf/calibration.js';
import type { EngineName } from '../scenario/index.js';
import { throughputAt, throughputEnvelope, type SideCurve, type SideSpec } from './frontier.js';

export interface ClaimValidationOptions {
  /** Interactivity levels, tok/s per user, at which to read both sides (claim's own level added). */
  interactivityLevelsTokensPerSecondPerUser?: readonly number[];
  /** Workload when the claim states none (default 8192/1024, InferenceX's primary scenario). */
  defaultWorkload?: { inputTokens: number; outputTokens: number };
  /** Engine of both sides (default `trtllm` when both accelerators are NVIDIA, else `vllm`). */
  engine?: EngineName;
  /** PUE of both sides (default 1.25; equal on both sides, it cancels in every ratio). */
  pue?: number;
  /** A measured value at the claim's conditions, to classify against. */
  measuredValue?: number;
}

export interface ClaimTableRow {
  /** The condition in words: precision pairing, speculative decoding, interactivity. */
  condition: string;
  /** Row group: the claim's arithmetic, equal precision, or the claim's precision pairing. */
  group: 'arithmetic' | 'equal-precision' | 'claim-pairing';
  interactivityTokensPerSecondPerUser?: number;
  subjectValue?: number;
  baselineValue?: number;
  unit: string;
  ratio?: number;
  note: string;
}

export interface ClaimValidation {
  claimId: string;
  claimedValue: number;
  unit: string;
  status: ClaimStatus;
  reason: string;
  /** The model's value at the claim's own conditions, when it could be computed. */
  modelValue?: number;
  arithmetic?: ArithmeticResult;
  rows: ClaimTableRow[];
  /** Conditions the model could not match: left out by the claim or not modelable. */
  conditionsMissing: string[];
  notes: string[];
  method: string;
}

export const CLAIM_VALIDATION_METHOD =
  'both sides estimated with the analytical model (estimateScenario) over every feasible parallel plan of one system; ' +
  'per side the throughput–interactivity envelope over plans, read at each interactivity level (linear between frontier points); ' +
  'throughput is OUTPUT tok/s per GPU — InferenceX counts input + output, which scales both sides alike at equal ISL/OSL';

const DEFAULT_LEVELS = [10, 20, 30, 50, 75, 100, 150];
const DEFAULT_WORKLOAD = { inputTokens: 8192, outputTokens: 1024 };
const EQUAL_PRECISION = 'fp8';
const MODELED_METRICS = new Set<Claim['metric']>([
  'throughput-per-gpu',
  'tokens-per-mw',
  'cost-per-token',
]);

const sig = (x: number): number => Number(x.toPrecision(4));

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface RunSet {
  group: 'equal-precision' | 'claim-pairing';
  label: string;
  subject: SideSpec;
  baseline?: SideSpec;
}

const unitOf = (claim: Claim): string =>
  claim.kind === 'ratio'
    ? 'x'
    : claim.metric === 'cost-per-token'
      ? 'USD per M output tokens'
      : 'output tok/s per GPU';

function speculativeFor(
  hw: ClaimHardware | undefined,
  modelId: string,
  catalog: Catalog,
): { drafter: string; draftTokens: number } | 'none' | 'unknown' {
  const drafter = hw?.speculative;
  if (drafter === undefined || drafter === 'none') return 'none';
  const a = catalog.speculative.find((s) => s.modelId === modelId && s.drafter === drafter);
  return a ? { drafter, draftTokens: a.draftTokens } : 'unknown';
}

/**
 * Validate a claim: arithmetic, the model at several interactivity levels, and a status with
 * the table behind it. See the module comment for the method.
 */
export function validateClaim(
  claim: Claim,
  catalog: Catalog,
  calibration: CalibrationTable,
  options: ClaimValidationOptions = {},
): ClaimValidation {
  const notes: string[] = [];
  const missing: string[] = claim.missingConditions.map((m) => `${m.condition}: ${m.note}`);
  const arithmetic = reproduceArithmetic(claim);
  const rows: ClaimTableRow[] = [];
  if (arithmetic)
    rows.push({
      condition: 'claim arithmetic (published inputs)',
      group: 'arithmetic',
      unit: claim.kind === 'ratio' ? 'x' : claim.unit,
      ...(claim.kind === 'ratio'
        ? { ratio: arithmetic.value }
        : { subjectValue: arithmetic.value }),
      note: `${arithmetic.text}; ${(arithmetic.deviationFraction * 100).toFixed(1)}% from the claimed ${claim.value}`,
    });
  const finish = (modelValue: number | undefined): ClaimValidation => {
    const s = classifyClaimStatus({
      claimedValue: claim.value,
      ...(modelValue !== undefined ? { modelValue } : {}),
      ...(options.measuredValue !== undefined ? { measuredValue: options.measuredValue } : {}),
      conditionsMissing: missing,
    });
    return {
      claimId: claim.id,
      claimedValue: claim.value,
      unit: claim.unit,
      status: s.status,
      reason: s.reason,
      ...(modelValue !== undefined ? { modelValue } : {}),
      ...(arithmetic ? { arithmetic } : {}),
      rows,
      conditionsMissing: missing,
      notes,
      method: CLAIM_VALIDATION_METHOD,
    };
  };

  // What the model cannot do at all.
  const lacking: string[] = [];
  const sides: [string, ClaimHardware | undefined][] = [['subject', claim.subject]];
  if (claim.kind === 'ratio') sides.push(['baseline', claim.baseline]);
  for (const [role, hw] of sides) {
    if (!hw) lacking.push(`${role}: the claim names no ${role}`);
    else if (hw.systemId === undefined)
      lacking.push(`${role} '${hw.label}': the claim names no system the catalog can match`);
    else if (!catalog.systems.has(hw.systemId))
      lacking.push(`${role} '${hw.label}': the catalog lacks system '${hw.systemId}'`);
  }
  if (claim.model === undefined) lacking.push('the claim names no model');
  else if (!catalog.models.has(claim.model))
    lacking.push(`the catalog lacks model '${claim.model}'`);
  if (!MODELED_METRICS.has(claim.metric))
    lacking.push(`the model does not compute '${claim.metric}'`);
  if (claim.metric === 'cost-per-token' && claim.kind === 'ratio') {
    const i = claim.arithmetic?.inputs;
    if (!i?.subjectUsdPerGpuHour || !i.baselineUsdPerGpuHour)
      lacking.push(
        'cost per token needs a price per GPU-hour of each side; the claim publishes none',
      );
  }
  if (
    claim.metric === 'cost-per-token' &&
    claim.kind === 'absolute' &&
    !claim.arithmetic?.inputs.usdPerGpuHour
  )
    lacking.push('cost per token needs a price per GPU-hour; the claim publishes none');
  if (claim.baseline?.systemId !== undefined && claim.baseline.systemId === claim.subject.systemId)
    lacking.push(
      'subject and baseline are the same hardware: the claim is about software the model does not distinguish',
    );
  if (lacking.length) {
    notes.push(...lacking.map((l) => `not modelled: ${l}`));
    missing.push(...lacking);
    return finish(undefined);
  }

  const modelId = claim.model!;
  const subjectSystem = catalog.systems.get(claim.subject.systemId!)!;
  const baselineSystem = claim.baseline?.systemId
    ? catalog.systems.get(claim.baseline.systemId)
    : undefined;
  const nvidia = [subjectSystem, baselineSystem]
    .filter((s) => s !== undefined)
    .every((s) => catalog.accelerators.get(s.acceleratorId)?.vendor === 'nvidia');
  const engine: EngineName = options.engine ?? (nvidia ? 'trtllm' : 'vllm');
  const pue = options.pue ?? 1.25;
  const workload = claim.workload ?? options.defaultWorkload ?? DEFAULT_WORKLOAD;
  if (!claim.workload)
    notes.push(
      `the claim states no workload: ISL ${workload.inputTokens} / OSL ${workload.outputTokens} assumed (${options.defaultWorkload ? 'caller' : 'InferenceX primary fixed-sequence scenario'})`,
    );
  notes.push(`engine ${engine} on both sides; PUE ${pue} on both sides (cancels in ratios)`);

  // Speculative decoding: both sides or neither.
  const specS = speculativeFor(claim.subject, modelId, catalog);
  const specB = speculativeFor(claim.baseline, modelId, catalog);
  let speculative: { drafter: string; draftTokens: number } | undefined;
  const wantsSpec = claim.subject.speculative ?? claim.baseline?.speculative;
  if (wantsSpec !== undefined && wantsSpec !== 'none') {
    const found = typeof specS === 'object' ? specS : typeof specB === 'object' ? specB : undefined;
    if (found) {
      speculative = found;
      notes.push(
        `speculative decoding (${found.drafter}, ${found.draftTokens} draft tokens) on BOTH sides, acceptance from the catalog`,
      );
    } else {
      const text = `speculative decoding '${wantsSpec}' stated, but the catalog has no acceptance assumption for ${modelId}/${wantsSpec}: both sides run without it`;
      notes.push(text);
      missing.push(`speculative-decoding: ${text}`);
    }
  }

  // Run sets: equal precision always; the claim's pairing when it states a precision.
  const sets: RunSet[] = [];
  const side = (systemId: string, precision: string): SideSpec => ({
    systemId,
    precision,
    ...(speculative ? { speculative } : {}),
  });
  sets.push({
    group: 'equal-precision',
    label: `equal precision ${EQUAL_PRECISION}/${EQUAL_PRECISION}`,
    subject: side(subjectSystem.id, EQUAL_PRECISION),
    ...(baselineSystem ? { baseline: side(baselineSystem.id, EQUAL_PRECISION) } : {}),
  });
  const pS = claim.subject.precision;
  const pB = claim.baseline?.precision;
  if (pS !== undefined || pB !== undefined) {
    const ps = pS ?? EQUAL_PRECISION;
    const pb = pB ?? EQUAL_PRECISION;
    if (pS === undefined || (claim.kind === 'ratio' && pB === undefined))
      notes.push(
        `claim pairing: unstated precision taken as ${EQUAL_PRECISION} (${pS === undefined ? 'subject' : 'baseline'}); an assumption`,
      );
    if (ps !== EQUAL_PRECISION || (claim.kind === 'ratio' && pb !== EQUAL_PRECISION))
      sets.push({
        group: 'claim-pairing',
        label: claim.kind === 'ratio' ? `claim pairing ${ps}/${pb}` : `claim precision ${ps}`,
        subject: side(subjectSystem.id, ps),
        ...(baselineSystem ? { baseline: side(baselineSystem.id, pb) } : {}),
      });
  }

  const levels = [
    ...new Set([
      ...(options.interactivityLevelsTokensPerSecondPerUser ?? DEFAULT_LEVELS),
      ...(claim.interactivityTokensPerSecondPerUser !== undefined
        ? [claim.interactivityTokensPerSecondPerUser]
        : []),
    ]),
  ].sort((a, b) => a - b);
  const specLabel = speculative ? `${speculative.drafter} both sides` : 'no speculative decoding';
  const price = claim.arithmetic?.inputs;
  const valueOf = (curve: SideCurve, t: number, role: 'subject' | 'baseline'): number => {
    if (claim.metric === 'tokens-per-mw') return (t / curve.provisionedWattsPerGpu) * 1e6;
    if (claim.metric === 'cost-per-token') {
      const usd =
        claim.kind === 'absolute'
          ? price!.usdPerGpuHour!.value
          : role === 'subject'
            ? price!.subjectUsdPerGpuHour!.value
            : price!.baselineUsdPerGpuHour!.value;
      return usd / ((t * 3600) / 1e6);
    }
    return t;
  };
  const valueUnit =
    claim.metric === 'tokens-per-mw'
      ? 'output tok/s per MW provisioned'
      : claim.metric === 'cost-per-token'
        ? 'USD per M output tokens'
        : 'output tok/s per GPU';
  if (claim.metric === 'cost-per-token')
    notes.push(
      'cost per token uses the claim’s published USD per GPU-hour of each side (the model has no price of its own here)',
    );
  if (claim.metric === 'tokens-per-mw')
    notes.push(
      'tokens per MW: provisioned facility power = nameplate (GPUs × TDP + host + network share) × PUE, the basis InferenceX uses',
    );

  const claimRatios: { level: number; ratio: number }[] = [];
  const modelValueForAbsolute: { level: number; value: number }[] = [];
  for (const set of sets) {
    const cs = throughputEnvelope(
      set.subject,
      modelId,
      workload,
      engine,
      pue,
      catalog,
      calibration,
    );
    const cb = set.baseline
      ? throughputEnvelope(set.baseline, modelId, workload, engine, pue, catalog, calibration)
      : undefined;
    const cond = (level: number) =>
      `${set.label}, ${specLabel}, ISL ${workload.inputTokens}/OSL ${workload.outputTokens}, ≥ ${level} tok/s/user`;
    if ('error' in cs || (cb && 'error' in cb)) {
      const why = [
        'error' in cs ? `subject: ${cs.error}` : '',
        cb && 'error' in cb ? `baseline: ${cb.error}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      rows.push({
        condition: `${set.label}, ${specLabel}`,
        group: set.group,
        unit: unitOf(claim),
        note: `not modelled: ${why}`,
      });
      continue;
    }
    notes.push(
      `${set.label}: subject plans ${cs.plans.join(', ')}${cb && !('error' in cb) ? `; baseline plans ${cb.plans.join(', ')}` : ''}`,
    );
    for (const level of levels) {
      const ts = throughputAt(cs.points, level);
      const tb = cb ? throughputAt(cb.points, level) : undefined;
      const vs = ts !== undefined ? valueOf(cs, ts, 'subject') : undefined;
      const vb = cb && tb !== undefined ? valueOf(cb, tb, 'baseline') : undefined;
      const notesRow: string[] = [];
      if (ts === undefined)
        notesRow.push(
          `subject cannot reach ${level} tok/s/user (max ${sig(cs.points[0]!.interactivity)})`,
        );
      if (cb && tb === undefined)
        notesRow.push(
          `baseline cannot reach ${level} tok/s/user (max ${sig(cb.points[0]!.interactivity)})`,
        );
      let ratio: number | undefined;
      if (claim.kind === 'ratio' && vs !== undefined && vb !== undefined)
        ratio = claim.metric === 'cost-per-token' ? vb / vs : vs / vb;
      if (
        set.group === 'claim-pairing' ||
        sets.length === 1 ||
        !sets.some((s) => s.group === 'claim-pairing')
      ) {
        if (ratio !== undefined) claimRatios.push({ level, ratio });
        if (claim.kind === 'absolute' && vs !== undefined)
          modelValueForAbsolute.push({ level, value: vs });
      }
      if (
        set.group === 'claim-pairing' &&
        set.subject.precision !== set.baseline?.precision &&
        claim.kind === 'ratio'
      )
        notesRow.push('unequal precision: the claim’s pairing, not a like-for-like comparison');
      rows.push({
        condition: cond(level),
        group: set.group,
        interactivityTokensPerSecondPerUser: level,
        ...(vs !== undefined ? { subjectValue: sig(vs) } : {}),
        ...(vb !== undefined ? { baselineValue: sig(vb) } : {}),
        unit: valueUnit,
        ...(ratio !== undefined ? { ratio: sig(ratio) } : {}),
        note: notesRow.join('; '),
      });
    }
  }

  // The model's value at the claim's own conditions.
  let modelValue: number | undefined;
  const series =
    claim.kind === 'ratio'
      ? claimRatios.map((r) => ({ level: r.level, value: r.ratio }))
      : modelValueForAbsolute;
  if (claim.interactivityTokensPerSecondPerUser !== undefined) {
    modelValue = series.find((r) => r.level === claim.interactivityTokensPerSecondPerUser)?.value;
    if (modelValue === undefined)
      missing.push(
        `interactivity: the model cannot reach ${claim.interactivityTokensPerSecondPerUser} tok/s/user on one side`,
      );
  } else if (claim.qualifier === 'up-to' && series.length) {
    modelValue = Math.max(...series.map((r) => r.value));
    notes.push(
      `"up to": the model's value is the maximum over the interactivity levels read (${levels.join(', ')} tok/s/user)`,
    );
  }
  if (modelValue !== undefined) modelValue = sig(modelValue);
  return finish(modelValue);
}
