/**
 * API pricing expressed per replica-hour, so an API can stand in for a rented replica.
 *
 *   usdPerReplicaHour = (N_in · P_in + N_cached · P_cached + N_out · P_out) / 1e6
 *
 * N_* = tokens of each kind one replica processes per hour at the SLO (uncached input, cached
 * input, output), P_* = API price per million tokens of that kind. Agent workloads send hundreds
 * of input tokens (mostly cached) per output token, so the input terms dominate.
 */
import { requireArg } from '../core/errors.js';
import { MEGA } from '../core/units.js';

export interface ApiPricing {
  usdPerMillionInputTokens: number;
  usdPerMillionCachedInputTokens: number;
  usdPerMillionOutputTokens: number;
}

export interface TokensPerReplicaHour {
  /** Uncached input (prompt) tokens per replica-hour. */
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export function apiUsdPerReplicaHour(pricing: ApiPricing, tokens: TokensPerReplicaHour): number {
  const all = [
    ...Object.values(pricing),
    tokens.inputTokens,
    tokens.cachedInputTokens,
    tokens.outputTokens,
  ];
  requireArg(
    all.every((x) => Number.isFinite(x) && x >= 0),
    'apiUsdPerReplicaHour',
    'prices and token counts must be finite and ≥ 0',
  );
  return (
    (tokens.inputTokens * pricing.usdPerMillionInputTokens +
      tokens.cachedInputTokens * pricing.usdPerMillionCachedInputTokens +
      tokens.outputTokens * pricing.usdPerMillionOutputTokens) /
    MEGA
  );
}
