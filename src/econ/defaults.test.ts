import { describe, expect, it } from 'vitest';
import { AifError } from '../core/errors.js';
import {
  CLOUD_PRICES_USD_PER_GPU_HOUR,
  cloudPriceUsdPerGpuHour,
  COLOCATION_USD_PER_KW_MONTH,
  electricityPriceUsdPerKwh,
  ELECTRICITY_PRICES_USD_PER_KWH,
  FACILITY_CAPEX_USD_PER_MW,
  INFERENCEX_GPU_SPECS,
  PUE_VALUES,
  pueValue,
  USEFUL_LIFE_YEARS,
} from './defaults.js';

describe('econ defaults', () => {
  it('gives every entry a source, and a date unless it is a stated assumption', () => {
    const entries = [
      ...Object.values(ELECTRICITY_PRICES_USD_PER_KWH),
      ...Object.values(PUE_VALUES),
      ...Object.values(USEFUL_LIFE_YEARS),
      ...Object.values(COLOCATION_USD_PER_KW_MONTH),
      ...Object.values(FACILITY_CAPEX_USD_PER_MW),
      ...Object.values(CLOUD_PRICES_USD_PER_GPU_HOUR).flatMap((t) => Object.values(t)),
      ...Object.values(INFERENCEX_GPU_SPECS).flatMap((g) => [
        g.allInKwPerGpu,
        ...Object.values(g.usdPerGpuHour),
      ]),
    ];
    for (const e of entries) {
      expect(e.ref.source.length).toBeGreaterThan(10);
      expect(e.ref.date).toMatch(/^\d{4}/);
      expect(Number.isFinite(e.value) && e.value > 0).toBe(true);
    }
  });

  it('converts EIA cents to dollars', () => {
    // EIA 2023 Virginia industrial 8.92 US cents/kWh
    expect(electricityPriceUsdPerKwh('us-va').value).toBeCloseTo(0.0892, 12);
  });

  it('refuses a euro price without an exchange rate, and converts with one', () => {
    expect(() => electricityPriceUsdPerKwh('fi')).toThrow(/priced in EUR/);
    // 0.0939 EUR/kWh × 1.1 USD/EUR = 0.10329 USD/kWh
    expect(electricityPriceUsdPerKwh('fi', 1.1).value).toBeCloseTo(0.10329, 12);
  });

  it('names the missing key and lists the known ones', () => {
    try {
      electricityPriceUsdPerKwh('us-zz');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AifError);
      expect((e as AifError).code).toBe('E_CATALOG_UNKNOWN_ID');
      expect((e as AifError).message).toMatch(
        /no entry 'us-zz' \(known: eu, fi, ie, sa, sg, us, us-az/,
      );
    }
    expect(() => pueValue('nope')).toThrow(/PUE values: no entry 'nope'/);
    expect(() => cloudPriceUsdPerGpuHour('mi300x', 'on-demand')).toThrow(/known: reserved-3y/);
  });
});
