import type { Basis, Metric } from '../../core/basis.js';
import { metric } from '../../core/basis.js';
import { requireArg } from '../../core/errors.js';
import { refuse, type EnergyOutcome } from './energy-refusal.js';
import type { WindowEnergy } from './window-energy.js';

/** The basis fields a caller supplies; boundary, provenance and power kind are fixed here. */
export type TokensPerJouleBasisInput = Omit<Basis, 'boundary' | 'provenance' | 'powerKind'>;

export interface TokensPerJouleOptions {
  /** Output tokens generated inside the token window (from the final `usage` of each request). */
  outputTokens: number;
  /** The measured window energy, or the reason there is none. */
  energy: EnergyOutcome<WindowEnergy>;
  basis: TokensPerJouleBasisInput;
  /** `total` (default): all chip energy; `above-idle`: energy above the idle baseline. */
  energyBasis?: 'total' | 'above-idle';
}

/**
 * Measured tokens per joule at the `chip` boundary (DESIGN §3):
 *
 *     tokens/J = output tokens ÷ chip energy over the token window   (= tok/s per W)
 *
 * The metric's basis has boundary `chip`, provenance `measured`, power kind `drawn`; its
 * `source` names the tool and the devices. Passes a refused energy through as a refusal, and
 * refuses `above-idle` when the idle baseline is missing or the energy above idle is ≤ 0.
 *
 * @throws AifError E_INVALID_ARGUMENT when outputTokens is negative or not finite.
 */
export function tokensPerJoule(options: TokensPerJouleOptions): EnergyOutcome<Metric> {
  requireArg(
    Number.isFinite(options.outputTokens) && options.outputTokens >= 0,
    'tokensPerJoule',
    'outputTokens must be a finite number ≥ 0',
  );
  if (!options.energy.ok) return options.energy;
  const e = options.energy.value;
  const aboveIdle = options.energyBasis === 'above-idle';
  let joules = e.energyJoules;
  if (aboveIdle) {
    if (e.energyAboveIdleJoules === undefined) {
      return refuse(
        'idle-unavailable',
        e.idle && !e.idle.ok
          ? `tokens per joule above idle needs an idle baseline: ${e.idle.refusal.reason}`
          : 'tokens per joule above idle needs an idle window before or after the run',
      );
    }
    if (!(e.energyAboveIdleJoules > 0)) {
      return refuse(
        'idle-unavailable',
        `energy above idle is ${e.energyAboveIdleJoules} J; the run is indistinguishable from idle`,
        { energyAboveIdleJoules: e.energyAboveIdleJoules },
      );
    }
    joules = e.energyAboveIdleJoules;
  }
  const basis: Basis = {
    ...options.basis,
    boundary: 'chip',
    provenance: 'measured',
    powerKind: 'drawn',
    source: `${options.basis.source}; ${e.source} ${e.fields.join('+')} (${e.method}), devices ${e.deviceIds.join(',')}`,
  };
  return {
    ok: true,
    value: metric(
      aboveIdle ? 'tokens per joule above idle' : 'tokens per joule',
      options.outputTokens / joules,
      'tok/J',
      basis,
    ),
  };
}
