/**
 * Energy cost (DESIGN §7): facility energy × price. Facility power is IT power × PUE at the
 * `facility` boundary; prices are USD per kWh. A time-of-use tariff is a set of price blocks by
 * hour of day and weekday/weekend, covering each of the 168 hours of a week exactly once; it is
 * integrated over a power profile, or averaged over the week for a constant power.
 *
 * Hour of week: 0 = Monday 00:00 local time at the site, 167 = Sunday 23:00; weekdays are
 * Monday–Friday.
 */
import { AifError, ERROR_CODES, requireArg } from '../core/errors.js';

/** Joules in one kWh. */
const JOULES_PER_KWH = 3.6e6;
const HOURS_PER_WEEK = 168;

/**
 * Energy cost per hour at a constant power: `facilityPowerWatts / 1000 × priceUsdPerKwh`,
 * USD per hour. Example: 10.2 kW at 0.0892 USD/kWh → 0.90984 USD/hour.
 * @throws AifError E_INVALID_ARGUMENT for negative inputs.
 */
export function energyCostUsdPerHour(facilityPowerWatts: number, priceUsdPerKwh: number): number {
  requireArg(facilityPowerWatts >= 0, 'energyCostUsdPerHour', 'facilityPowerWatts must be ≥ 0');
  requireArg(priceUsdPerKwh >= 0, 'energyCostUsdPerHour', 'priceUsdPerKwh must be ≥ 0');
  return (facilityPowerWatts / 1000) * priceUsdPerKwh;
}

/**
 * Cost of an energy quantity: `energyJoules / 3.6e6 × priceUsdPerKwh`, USD.
 * @throws AifError E_INVALID_ARGUMENT for negative inputs.
 */
export function energyCostUsd(energyJoules: number, priceUsdPerKwh: number): number {
  requireArg(energyJoules >= 0, 'energyCostUsd', 'energyJoules must be ≥ 0');
  requireArg(priceUsdPerKwh >= 0, 'energyCostUsd', 'priceUsdPerKwh must be ≥ 0');
  return (energyJoules / JOULES_PER_KWH) * priceUsdPerKwh;
}

export type TariffDays = 'weekdays' | 'weekends' | 'all';

/** One price block: `[fromHour, toHour)` of the days named, local time. */
export interface TimeOfUseBlock {
  days: TariffDays;
  /** First hour of day of the block, 0–23. */
  fromHour: number;
  /** Hour of day the block ends (exclusive), 1–24; a block that crosses midnight is two blocks. */
  toHour: number;
  priceUsdPerKwh: number;
}

export interface TimeOfUseTariff {
  blocks: readonly TimeOfUseBlock[];
}

const DAY_SETS: Record<TariffDays, readonly number[]> = {
  weekdays: [0, 1, 2, 3, 4],
  weekends: [5, 6],
  all: [0, 1, 2, 3, 4, 5, 6],
};
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hourName = (h: number): string => `${DAY_NAMES[Math.floor(h / 24)]} ${h % 24}:00`;

/**
 * The tariff as 168 hourly prices (hour of week 0 = Monday 00:00).
 * @throws AifError E_INVALID_ARGUMENT when a block is malformed, or when an hour of the week is
 *   covered by no block or by more than one (the hours are listed).
 */
export function hourlyPricesUsdPerKwh(tariff: TimeOfUseTariff): number[] {
  const fn = 'hourlyPricesUsdPerKwh';
  requireArg(tariff.blocks.length > 0, fn, 'a tariff needs at least one block');
  const prices: (number | undefined)[] = new Array<number | undefined>(HOURS_PER_WEEK).fill(
    undefined,
  );
  const doubled: number[] = [];
  tariff.blocks.forEach((b, i) => {
    requireArg(
      Number.isInteger(b.fromHour) &&
        Number.isInteger(b.toHour) &&
        b.fromHour >= 0 &&
        b.toHour <= 24 &&
        b.fromHour < b.toHour,
      fn,
      `block ${i}: hours must be integers with 0 ≤ fromHour < toHour ≤ 24 (got ${b.fromHour}–${b.toHour})`,
    );
    requireArg(b.priceUsdPerKwh >= 0, fn, `block ${i}: priceUsdPerKwh must be ≥ 0`);
    for (const day of DAY_SETS[b.days])
      for (let h = b.fromHour; h < b.toHour; h++) {
        const k = day * 24 + h;
        if (prices[k] !== undefined) doubled.push(k);
        prices[k] = b.priceUsdPerKwh;
      }
  });
  const missing = prices.flatMap((p, k) => (p === undefined ? [k] : []));
  if (missing.length || doubled.length) {
    const list = (hs: number[]) =>
      hs.slice(0, 6).map(hourName).join(', ') + (hs.length > 6 ? ` … (${hs.length} hours)` : '');
    throw new AifError(
      ERROR_CODES.INVALID_ARGUMENT,
      `${fn}: the tariff must price every hour of the week exactly once` +
        (missing.length ? `; not covered: ${list(missing)}` : '') +
        (doubled.length ? `; covered twice: ${list([...new Set(doubled)])}` : ''),
    );
  }
  return prices as number[];
}

/**
 * Time-weighted mean price of a tariff over the week, USD per kWh: Σ hourly prices / 168.
 * The exact price for a constant power draw.
 */
export function weeklyAveragePriceUsdPerKwh(tariff: TimeOfUseTariff): number {
  return hourlyPricesUsdPerKwh(tariff).reduce((a, b) => a + b, 0) / HOURS_PER_WEEK;
}

/** Power as equal-length intervals from a start hour of week (piecewise constant). */
export interface PowerProfile {
  /** Hour of week at the start of the first interval (may be fractional), ≥ 0. */
  startHourOfWeek: number;
  intervalSeconds: number;
  powerWatts: readonly number[];
}

/**
 * Energy cost of a power profile under a tariff, USD: Σ over intervals, split at hour
 * boundaries, of watts × seconds ÷ 3.6e6 × the price of that hour. Complexity O(intervals +
 * hours spanned).
 * @throws AifError E_INVALID_ARGUMENT for a bad profile or tariff.
 */
export function timeOfUseEnergyCostUsd(tariff: TimeOfUseTariff, profile: PowerProfile): number {
  const fn = 'timeOfUseEnergyCostUsd';
  requireArg(profile.intervalSeconds > 0, fn, 'intervalSeconds must be > 0');
  requireArg(profile.startHourOfWeek >= 0, fn, 'startHourOfWeek must be ≥ 0');
  const prices = hourlyPricesUsdPerKwh(tariff);
  let usd = 0;
  profile.powerWatts.forEach((watts, i) => {
    requireArg(watts >= 0, fn, `powerWatts[${i}] must be ≥ 0`);
    let t = profile.startHourOfWeek * 3600 + i * profile.intervalSeconds;
    const end = t + profile.intervalSeconds;
    while (t < end) {
      const hour = Math.floor(t / 3600);
      const next = Math.min(end, (hour + 1) * 3600);
      usd += ((watts * (next - t)) / JOULES_PER_KWH) * prices[hour % HOURS_PER_WEEK]!;
      t = next;
    }
  });
  return usd;
}

/** How the energy of a TCO is priced: a flat price, or a tariff (averaged or over a profile). */
export type EnergyPricing =
  | { facilityPowerWatts: number; priceUsdPerKwh: number }
  | { facilityPowerWatts: number; timeOfUse: TimeOfUseTariff }
  | { profile: PowerProfile; timeOfUse: TimeOfUseTariff };

/**
 * Mean energy cost per hour, USD per hour, with the derivation in words: flat price × mean
 * power; tariff × constant power = weekly average price × power; tariff over a profile = cost
 * of the profile ÷ its duration in hours.
 */
export function energyUsdPerHour(pricing: EnergyPricing): {
  usdPerHour: number;
  derivation: string;
} {
  if ('profile' in pricing) {
    const p = pricing.profile;
    const hours = (p.powerWatts.length * p.intervalSeconds) / 3600;
    requireArg(hours > 0, 'energyUsdPerHour', 'the power profile must not be empty');
    const usd = timeOfUseEnergyCostUsd(pricing.timeOfUse, p);
    return {
      usdPerHour: usd / hours,
      derivation: `time-of-use tariff integrated over a ${hours.toPrecision(4)}-hour power profile from hour of week ${p.startHourOfWeek}`,
    };
  }
  if ('timeOfUse' in pricing) {
    const price = weeklyAveragePriceUsdPerKwh(pricing.timeOfUse);
    return {
      usdPerHour: energyCostUsdPerHour(pricing.facilityPowerWatts, price),
      derivation: `${(pricing.facilityPowerWatts / 1000).toPrecision(6)} kW facility × ${price.toPrecision(6)} USD/kWh (time-of-use tariff, weekly time-weighted average: constant power assumed)`,
    };
  }
  return {
    usdPerHour: energyCostUsdPerHour(pricing.facilityPowerWatts, pricing.priceUsdPerKwh),
    derivation: `${(pricing.facilityPowerWatts / 1000).toPrecision(6)} kW facility × ${pricing.priceUsdPerKwh} USD/kWh`,
  };
}
