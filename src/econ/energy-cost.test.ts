import { describe, expect, it } from 'vitest';
import { HOURS_PER_YEAR } from './depreciation.js';
import {
  energyCostUsd,
  energyCostUsdPerHour,
  energyUsdPerHour,
  hourlyPricesUsdPerKwh,
  timeOfUseEnergyCostUsd,
  weeklyAveragePriceUsdPerKwh,
  type TimeOfUseTariff,
} from './energy-cost.js';

/** Weekdays 08–20 at 0.20, the rest of weekdays at 0.10, weekends at 0.08 USD/kWh. */
const TARIFF: TimeOfUseTariff = {
  blocks: [
    { days: 'weekdays', fromHour: 0, toHour: 8, priceUsdPerKwh: 0.1 },
    { days: 'weekdays', fromHour: 8, toHour: 20, priceUsdPerKwh: 0.2 },
    { days: 'weekdays', fromHour: 20, toHour: 24, priceUsdPerKwh: 0.1 },
    { days: 'weekends', fromHour: 0, toHour: 24, priceUsdPerKwh: 0.08 },
  ],
};

describe('energy cost', () => {
  it("reproduces SemiAnalysis' worked example of a 20,480-H100 cluster", () => {
    // SemiAnalysis 'AI Datacenter Energy Dilemma' (2024-03): 20,480 H100 × 1,389 W critical IT,
    // 80% utilization, PUE 1.25 → 249,185 MWh/yr and $20.7M/yr at $0.083/kWh.
    // By hand: 20480 × 1389 W = 28,446,720 W; × 0.8 × 1.25 = 28,446,720 W facility;
    // × 8760 h = 249,193.3 MWh; × 0.083 USD/kWh = 20,683,041 USD.
    const facilityWatts = 20_480 * 1_389 * 0.8 * 1.25;
    const mwhPerYear = (facilityWatts / 1e6) * HOURS_PER_YEAR;
    // 1,389 W is rounded to the watt: ±0.5/1389 = 3.6e-4 relative is the published figure's own precision
    expect(Math.abs(mwhPerYear - 249_185) / 249_185).toBeLessThan(3.6e-4);
    const usdPerYear = energyCostUsdPerHour(facilityWatts, 0.083) * HOURS_PER_YEAR;
    expect(Math.abs(usdPerYear - 20.7e6)).toBeLessThanOrEqual(0.05e6); // published to 0.1 M
  });

  it('prices joules and watts consistently', () => {
    // 1 kW for 1 h = 3.6e6 J = 1 kWh
    expect(energyCostUsd(3.6e6, 0.12)).toBeCloseTo(0.12, 12);
    expect(energyCostUsdPerHour(1000, 0.12)).toBeCloseTo(0.12, 12);
  });

  it('averages a time-of-use tariff over the hours of the week', () => {
    // (5 days × 12 h × 0.20 + 5 × 12 × 0.10 + 2 × 24 × 0.08) / 168 = (12 + 6 + 3.84) / 168 = 0.13
    expect(weeklyAveragePriceUsdPerKwh(TARIFF)).toBeCloseTo(0.13, 12);
  });

  it('integrates a power profile across a price boundary', () => {
    // 1 kW from Monday 07:30 for 2 h: 0.5 kWh at 0.10 + 1.5 kWh at 0.20 = 0.05 + 0.30 = 0.35 USD
    const usd = timeOfUseEnergyCostUsd(TARIFF, {
      startHourOfWeek: 7.5,
      intervalSeconds: 1800,
      powerWatts: [1000, 1000, 1000, 1000],
    });
    expect(usd).toBeCloseTo(0.35, 12);
  });

  it('wraps from Sunday night into Monday', () => {
    // 1 kW for Sunday 23:00–24:00 (0.08) and Monday 00:00–01:00 (0.10) = 0.18 USD
    const usd = timeOfUseEnergyCostUsd(TARIFF, {
      startHourOfWeek: 167,
      intervalSeconds: 7200,
      powerWatts: [1000],
    });
    expect(usd).toBeCloseTo(0.18, 12);
  });

  it('gives the weekly average for a constant power under a tariff', () => {
    const flat = energyUsdPerHour({ facilityPowerWatts: 2000, timeOfUse: TARIFF });
    // 2 kW × 0.13 USD/kWh = 0.26 USD/h
    expect(flat.usdPerHour).toBeCloseTo(0.26, 12);
    const week = energyUsdPerHour({
      profile: { startHourOfWeek: 0, intervalSeconds: 3600, powerWatts: new Array(168).fill(2000) },
      timeOfUse: TARIFF,
    });
    expect(week.usdPerHour).toBeCloseTo(0.26, 12);
  });

  it('names the hours a tariff leaves uncovered or covers twice', () => {
    expect(() =>
      hourlyPricesUsdPerKwh({
        blocks: [{ days: 'weekdays', fromHour: 0, toHour: 24, priceUsdPerKwh: 0.1 }],
      }),
    ).toThrow(/not covered: Sat 0:00/);
    expect(() =>
      hourlyPricesUsdPerKwh({
        blocks: [
          { days: 'all', fromHour: 0, toHour: 24, priceUsdPerKwh: 0.1 },
          { days: 'weekends', fromHour: 10, toHour: 11, priceUsdPerKwh: 0.2 },
        ],
      }),
    ).toThrow(/covered twice: Sat 10:00, Sun 10:00/);
  });
});
