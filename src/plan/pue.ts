/**
 * PUE as a function of IT load, climate and cooling type (DESIGN §6), and the design-day PUE
 * that the utility envelope is checked against.
 *
 * The curve. Facility overhead = a fixed part (UPS no-load losses, transformers, lighting,
 * controls, pumps at minimum flow) that does not fall with IT load, plus a part proportional
 * to IT load (fans, compressors, conversion losses under load). With L = IT load ÷ design IT
 * power in (0, 1]:
 *
 *   PUE(L) = 1 + b + a / L,      a = s·O,  b = (1 − s)·O,  O = PUE(1) − 1
 *
 * so PUE(1) = 1 + O and PUE rises as load falls. Design day (hottest hour, full load): the
 * overhead grows by a climate factor k: PUE_dd = 1 + k·O. Units: dimensionless ratios.
 *
 * Parameters (each a `Sourced` in `PUE_ANCHORS`; they are coarse, state site.pue when you have
 * a design figure):
 * - O for air cooling, temperate climate: 0.40 — SemiAnalysis: hyperscale PUE "mostly < 1.4";
 *   its upper bound is taken (conservative for envelopes).
 * - Direct-liquid cooling lowers PUE by 0.25 points — midpoint of SemiAnalysis's 0.2–0.3.
 * - Hot climate adds 0.33 to an air-cooled PUE — Uptime 2020 regional averages, Middle East &
 *   Africa 1.79 vs Europe 1.46 (Uptime names climate the largest factor). For liquid cooling
 *   the delta is scaled by its overhead share (0.15/0.40): heat rejection is a smaller share.
 *   Cold climate: no sourced benefit, so none (same as temperate).
 * - Fixed share s = 0.3 of full-load overhead: an assumption, supported by a UPS that is 94%
 *   efficient at 90% load but 80% at 20% (its loss is nearly all fixed) while fans and
 *   compressors follow load.
 * - Design-day factor k: cold 1.2, temperate 1.35, hot 1.5 — assumptions (no design-day PUE in
 *   the reference data); peak PUE is computed at the hottest design conditions and full load.
 *
 * The boundary: IT power is measured at the IT equipment's input (The Green Grid): UPS,
 * transformer and PDU losses upstream of the rack are inside PUE and are not counted again by
 * the power chain.
 */
import { requireArg } from '../core/errors.js';
import { sourced, type Sourced, type SourceRef } from '../core/source.js';
import type { ClimateClass } from './regions.js';

export const COOLING_TYPES = ['air', 'direct-liquid'] as const;
export type CoolingType = (typeof COOLING_TYPES)[number];

const SEMIANALYSIS: SourceRef = {
  source:
    "SemiAnalysis 'AI Datacenter Energy Dilemma' https://www.semianalysis.com/p/ai-datacenter-energy-dilemma-race",
  date: '2024-03',
  provenance: 'third-party',
};

/** The sourced figures the curve parameters are built from. */
export const PUE_ANCHORS = {
  airTemperateFullLoadPue: sourced(1.4, {
    ...SEMIANALYSIS,
    note: 'hyperscale PUE "mostly <1.4"; enterprise colocation 1.5–1.6; AI datacenter specs aim <1.3. Upper bound taken as an air-cooled, temperate-climate design.',
  }),
  directLiquidReductionPoints: sourced(0.25, {
    ...SEMIANALYSIS,
    note: 'direct-to-chip liquid cooling lowers PUE by 0.2–0.3 points; midpoint used',
  }),
  hotClimateDeltaAir: sourced(1.79 - 1.46, {
    source:
      'Uptime Institute, "Which regions have the most energy efficient data centers?" https://journal.uptimeinstitute.com/datacenter-energy-efficiency-by-region/ (as summarised at https://hostkey.medium.com/in-2020-europe-is-still-the-leader-in-data-center-energy-efficiency-ab94e8f2c324)',
    date: '2020-08',
    provenance: 'derived',
    note: 'regional average PUE: Middle East & Africa 1.79 − Europe 1.46 = 0.33; "the most significant factor affecting PUE is climate" (also workforce, age)',
  }),
  fixedOverheadShare: sourced(0.3, {
    source:
      'aifactory assumption; UPS example from http://www.cdcdg.com/index.php/article-23 ("94% efficient at 90% load might be 80% efficient at 20%")',
    provenance: 'assumption',
    note: 'share of full-load facility overhead that does not fall with IT load',
  }),
  designDayFactor: {
    cold: sourced(1.2, { source: 'aifactory assumption', provenance: 'assumption' }),
    temperate: sourced(1.35, { source: 'aifactory assumption', provenance: 'assumption' }),
    hot: sourced(1.5, {
      source: 'aifactory assumption',
      provenance: 'assumption',
      note: 'design-day overhead ÷ annual overhead; peak PUE uses the hottest design conditions at full load (https://iesve.com/discoveries/view/62959/dynamic-pue-modelling-data-centres)',
    }),
  } satisfies Record<ClimateClass, Sourced>,
} as const;

/** Curve parameters: fixed overhead a and proportional overhead b (per unit of design IT). */
export interface PueCurve {
  /** a: overhead that does not fall with load, as a fraction of design IT power. */
  fixedOverhead: number;
  /** b: overhead proportional to IT load, per unit of IT power. */
  proportionalOverhead: number;
  /** k: design-day overhead ÷ annual full-load overhead (≥ 1). */
  designDayFactor: number;
  /** How the parameters were obtained. */
  ref: SourceRef;
}

/**
 * A site's PUE: the documented curve for its cooling and climate (`model`), a curve with
 * stated parameters, or a constant (a user override; design-day defaults to the same value).
 */
export type PueSpec =
  | { kind: 'model' }
  | { kind: 'curve'; curve: PueCurve }
  | { kind: 'constant'; pue: number; designDayPue?: number; ref?: SourceRef };

/**
 * The documented curve for a cooling type and climate (parameters in `PUE_ANCHORS`).
 * @example pueCurve('air', 'temperate') → a = 0.12, b = 0.28, k = 1.35 (PUE(1) = 1.40)
 */
export function pueCurve(cooling: CoolingType, climate: ClimateClass): PueCurve {
  const A = PUE_ANCHORS;
  const airOverhead = A.airTemperateFullLoadPue.value - 1;
  const coolingOverhead =
    cooling === 'air' ? airOverhead : airOverhead - A.directLiquidReductionPoints.value;
  const hotDelta = A.hotClimateDeltaAir.value * (coolingOverhead / airOverhead);
  const overhead = coolingOverhead + (climate === 'hot' ? hotDelta : 0);
  const s = A.fixedOverheadShare.value;
  return {
    fixedOverhead: s * overhead,
    proportionalOverhead: (1 - s) * overhead,
    designDayFactor: A.designDayFactor[climate].value,
    ref: {
      source: 'aifactory PUE curve (plan/pue.ts) from SemiAnalysis 2024-03 and Uptime 2020',
      provenance: 'derived',
      note: `${cooling}, ${climate}: full-load overhead ${overhead.toFixed(4)} (air-temperate 0.40${cooling === 'direct-liquid' ? ' − 0.25 liquid' : ''}${climate === 'hot' ? ` + hot ${hotDelta.toFixed(4)}` : ''}), fixed share ${s}, design-day factor ${A.designDayFactor[climate].value}`,
    },
  };
}

export interface PueInput {
  spec: PueSpec;
  cooling: CoolingType;
  climate: ClimateClass;
}

const curveOf = (input: PueInput): PueCurve | undefined =>
  input.spec.kind === 'model'
    ? pueCurve(input.cooling, input.climate)
    : input.spec.kind === 'curve'
      ? input.spec.curve
      : undefined;

function checkSpec(fn: string, spec: PueSpec): void {
  if (spec.kind === 'constant') {
    requireArg(spec.pue >= 1, fn, `constant PUE must be ≥ 1, got ${spec.pue}`);
    requireArg(
      spec.designDayPue === undefined || spec.designDayPue >= spec.pue,
      fn,
      `designDayPue must be ≥ pue (${spec.pue}), got ${spec.designDayPue}`,
    );
  } else if (spec.kind === 'curve') {
    const c = spec.curve;
    requireArg(
      c.fixedOverhead >= 0 && c.proportionalOverhead >= 0 && c.designDayFactor >= 1,
      fn,
      `curve needs fixedOverhead ≥ 0, proportionalOverhead ≥ 0, designDayFactor ≥ 1, got ${c.fixedOverhead}, ${c.proportionalOverhead}, ${c.designDayFactor}`,
    );
  }
}

/**
 * PUE at IT load fraction L (IT power ÷ design IT power): 1 + b + a/L; a constant spec returns
 * its constant. O(1).
 * @throws AifError(E_INVALID_ARGUMENT) unless 0 < L ≤ 1, or for an invalid spec.
 * @example pueAt({ spec: { kind: 'model' }, cooling: 'air', climate: 'temperate' }, 0.5) ≈ 1.52
 */
export function pueAt(input: PueInput, loadFraction: number): number {
  checkSpec('pueAt', input.spec);
  requireArg(
    loadFraction > 0 && loadFraction <= 1,
    'pueAt',
    `loadFraction must be in (0, 1], got ${loadFraction}`,
  );
  const curve = curveOf(input);
  if (curve === undefined) return (input.spec as { pue: number }).pue;
  return 1 + curve.proportionalOverhead + curve.fixedOverhead / loadFraction;
}

/**
 * Design-day PUE (hottest hour, full IT load): 1 + k·(a + b); a constant spec returns its
 * `designDayPue`, or its `pue` when none is stated. This is the PUE the envelope is checked at.
 * @example designDayPue({ spec: { kind: 'model' }, cooling: 'air', climate: 'temperate' }) = 1.54
 */
export function designDayPue(input: PueInput): Sourced {
  checkSpec('designDayPue', input.spec);
  const spec = input.spec;
  if (spec.kind === 'constant') {
    const value = spec.designDayPue ?? spec.pue;
    return sourced(value, {
      ...(spec.ref ?? { source: 'site.pue (user override)', provenance: 'assumption' }),
      note: `constant PUE ${spec.pue}; design day ${value}${spec.designDayPue === undefined ? ' (no design-day PUE stated: the constant is used)' : ''}`,
    });
  }
  const curve = curveOf(input)!;
  const value = 1 + curve.designDayFactor * (curve.fixedOverhead + curve.proportionalOverhead);
  return sourced(value, {
    ...curve.ref,
    note: `${curve.ref.note ?? ''}; design day = 1 + ${curve.designDayFactor} × ${(curve.fixedOverhead + curve.proportionalOverhead).toFixed(4)}`,
  });
}
