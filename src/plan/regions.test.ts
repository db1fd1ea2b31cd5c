import { describe, expect, it } from 'vitest';
import { isAifError } from '../core/errors.js';
import { ELECTRICITY_PRICES_USD_PER_KWH } from '../econ/defaults.js';
import { getRegion, REGIONS, regionEnergyPriceUsdPerKwh, regionIds } from './regions.js';

describe('regions', () => {
  it('reuses the econ electricity price for a US state (EIA 2023 Virginia industrial 8.92 c/kWh)', () => {
    const p = regionEnergyPriceUsdPerKwh(getRegion('us-va'));
    expect(p).toBe(ELECTRICITY_PRICES_USD_PER_KWH['us-va']);
    expect(p.value).toBeCloseTo(0.0892, 10);
  });

  it('gives the US average carbon intensity as EIA 0.81 lb/kWh in grams (367.4 g/kWh, direct CO2)', () => {
    const us = getRegion('us');
    expect(us.carbonIntensityGPerKwh?.value).toBeCloseTo(367.41, 2);
    expect(us.carbonBasis).toBe('direct-co2');
  });

  it('leaves US states without a carbon figure rather than copying the national average', () => {
    expect(getRegion('us-tx').carbonIntensityGPerKwh).toBeUndefined();
  });

  it('gives Nordic and EU countries Ember lifecycle figures and the right jurisdictions', () => {
    expect(getRegion('se').carbonIntensityGPerKwh?.value).toBe(40.7);
    expect(getRegion('fi').carbonIntensityGPerKwh?.value).toBe(79);
    expect(getRegion('fi').climate.value).toBe('cold');
    expect(getRegion('de').jurisdiction).toBe('eu');
    expect(getRegion('no').jurisdiction).toBe('no');
    expect(getRegion('us-va').jurisdiction).toBe('us');
  });

  it('sources every carbon figure and climate class it gives', () => {
    for (const r of Object.values(REGIONS)) {
      expect(r.climate.ref.source.length).toBeGreaterThan(0);
      if (r.carbonIntensityGPerKwh) {
        expect(r.carbonIntensityGPerKwh.ref.source.length).toBeGreaterThan(0);
        expect(r.carbonBasis).toBeDefined();
      }
    }
  });

  it('prices every region that names a price key, from the econ tables', () => {
    for (const r of Object.values(REGIONS))
      if (r.energyPriceKey !== undefined)
        expect(regionEnergyPriceUsdPerKwh(r, 1).value).toBeGreaterThan(0);
  });

  it('converts a euro price only with a stated exchange rate', () => {
    expect(() => regionEnergyPriceUsdPerKwh(getRegion('fi'))).toThrow(/no exchange rate/);
    expect(regionEnergyPriceUsdPerKwh(getRegion('fi'), 1.1).value).toBeCloseTo(0.0939 * 1.1, 10);
  });

  it('names the priced regions when a region has no sourced price', () => {
    expect(() => regionEnergyPriceUsdPerKwh(getRegion('de'))).toThrow(
      /no sourced energy price.*us-va/,
    );
  });

  it('rejects an unknown region listing the known ones', () => {
    try {
      getRegion('us-zz');
      expect.unreachable();
    } catch (e) {
      expect(isAifError(e) && e.code).toBe('E_CATALOG_UNKNOWN_ID');
      expect(String(e)).toContain(regionIds().join(', '));
    }
  });
});
