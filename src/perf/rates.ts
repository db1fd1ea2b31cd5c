/**
 * Which tensor-core rate a GEMM runs at, and bytes per element of a format.
 * A GEMM computes at the slower of its weight format's rate and its activation format's rate;
 * weight-only formats (int4-wo, int8-wo) compute at the activation rate (DESIGN §4). When the
 * accelerator lacks a rate (fp4 on Hopper) the next slower published rate is used.
 */
import { AifError, ERROR_CODES } from '../core/errors.js';
import type { Accelerator, ComputeRate, NumberFormat, NumberFormatId } from '../catalog/types.js';

/** Rates from slowest to fastest (int8 sits with fp8 on every catalogued part). */
const RATE_ORDER: readonly ComputeRate[] = ['bf16', 'int8', 'fp8', 'fp4'];

export type FormatTable = ReadonlyMap<NumberFormatId, NumberFormat>;

export function formatOf(formats: FormatTable, id: NumberFormatId): NumberFormat {
  const f = formats.get(id);
  if (!f) throw new AifError(ERROR_CODES.PRECISION_UNSUPPORTED, `unknown number format '${id}'`);
  return f;
}

export const bytesPerElement = (formats: FormatTable, id: NumberFormatId): number =>
  formatOf(formats, id).bitsPerElement / 8;

/** Peak dense FLOP/s for a rate on an accelerator, falling back to the next slower rate it has. */
export function peakFlops(
  accelerator: Accelerator,
  rate: ComputeRate,
): { rate: ComputeRate; flopsPerSecond: number } {
  for (let i = RATE_ORDER.indexOf(rate); i >= 0; i--) {
    const r = RATE_ORDER[i]!;
    const p = accelerator.peakFlopsPerSecond[r];
    if (p) return { rate: r, flopsPerSecond: p.value };
  }
  return { rate: 'bf16', flopsPerSecond: accelerator.peakFlopsPerSecond.bf16.value };
}

/** Rate of a GEMM with weights in `weight` and activations in `activation`. */
export function gemmRate(
  formats: FormatTable,
  weight: NumberFormatId,
  activation: NumberFormatId,
): ComputeRate {
  const a = formatOf(formats, activation).computeRate ?? 'bf16';
  const w = formatOf(formats, weight);
  if (w.weightOnly || w.computeRate === null) return a;
  // Slower of the two: e.g. nvfp4 weights with fp8 activations run at the fp8 rate (W4A8).
  return RATE_ORDER.indexOf(w.computeRate) < RATE_ORDER.indexOf(a) ? w.computeRate : a;
}
