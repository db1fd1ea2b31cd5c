/**
 * Break-even utilization of owning one replica against renting it on demand (DESIGN §7).
 *
 * Owning costs capex C at t = 0, fixed opex F per hour of its life and energy e per busy hour;
 * renting costs the on-demand price p per busy hour, nothing when idle. At utilization u (busy
 * share of hours), over a life of L years priced in periods of Δ years with hourly flows
 * discounted at each period's midpoint (the convention of `build-vs-rent-model.ts`):
 *
 *   PV_own(u)  = C + (F + e·u) · 8760 · S        PV_rent(u) = p · u · 8760 · S
 *   S = Σ_{q=0}^{n−1} Δ · (1 + r)^(−(q + ½)Δ),   n = round(L / Δ)
 *     = Δ · (1 + r)^(−Δ/2) · (1 − (1 + r)^(−nΔ)) / (1 − (1 + r)^(−Δ))   (r > 0; nΔ when r = 0)
 *
 *   u* = (C / (8760 · S) + F) / (p − e)
 *
 * Owning is cheaper above u*. No residual value (a replica used for its whole life), no price
 * trends, no lead time. u* > 1: owning never pays at these prices; p ≤ e: never (∞).
 * Units: USD, USD per replica-hour, years; u* dimensionless.
 */
import { requireArg } from '../core/errors.js';
import { HOURS_PER_YEAR } from '../core/units.js';

export interface BreakEvenInputs {
  capexUsdPerReplica: number;
  fixedOpexUsdPerReplicaHour: number;
  energyUsdPerBusyReplicaHour: number;
  usefulLifeYears: number;
  discountRatePerYear: number;
  onDemandUsdPerReplicaHour: number;
  /** Period length of the discounting grid, months (dividing 12); default 12. */
  periodMonths?: number;
}

/** S: discounted years of hourly flow over the life (see module comment). */
export function discountedLifeYears(inputs: BreakEvenInputs): number {
  const dt = (inputs.periodMonths ?? 12) / 12;
  const n = Math.max(1, Math.round(inputs.usefulLifeYears / dt));
  const r = inputs.discountRatePerYear;
  if (r === 0) return n * dt;
  const v = 1 + r;
  return (dt * Math.pow(v, -dt / 2) * (1 - Math.pow(v, -n * dt))) / (1 - Math.pow(v, -dt));
}

/** u* = (C / (8760·S) + F) / (p − e); `Infinity` when p ≤ e. */
export function breakEvenUtilization(inputs: BreakEvenInputs): number {
  requireArg(
    inputs.discountRatePerYear > -1,
    'breakEvenUtilization',
    'discountRatePerYear must be > −1',
  );
  requireArg(inputs.usefulLifeYears > 0, 'breakEvenUtilization', 'usefulLifeYears must be > 0');
  const margin = inputs.onDemandUsdPerReplicaHour - inputs.energyUsdPerBusyReplicaHour;
  if (margin <= 0) return Infinity;
  const s = discountedLifeYears(inputs);
  return (
    (inputs.capexUsdPerReplica / (HOURS_PER_YEAR * s) + inputs.fixedOpexUsdPerReplicaHour) / margin
  );
}
