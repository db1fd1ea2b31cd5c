import { describe, expect, it } from 'vitest';
import { getRegion } from './regions.js';
import {
  averageEnergyPriceUsdPerKwh,
  siteFromRegion,
  validateSite,
  type SiteInput,
} from './site.js';
import { installedBaseItMwAt } from './site-installed-base.js';
import { redundancyUsableShare } from './site-redundancy.js';

const input: SiteInput = {
  id: 'va-1',
  envelopeMw: 100,
  cooling: 'direct-liquid',
  rackDensityLimitKw: 132,
  spaceRacks: 1000,
  redundancy: { power: { scheme: 'N+1', activeUnits: 4 }, cooling: { scheme: 'N' } },
  carbonIntensityGPerKwh: { value: 300, ref: { source: 'test', provenance: 'assumption' } },
};

describe('site redundancy', () => {
  it('makes N+1 with 4 active units usable at 4/5 of installed', () => {
    expect(redundancyUsableShare({ scheme: 'N+1', activeUnits: 4 })).toBe(0.8);
  });
  it('makes 2N usable at one half and N at all of it', () => {
    expect(redundancyUsableShare({ scheme: '2N' })).toBe(0.5);
    expect(redundancyUsableShare({ scheme: 'N' })).toBe(1);
  });
  it('rejects N+1 without a whole number of active units', () => {
    expect(() => redundancyUsableShare({ scheme: 'N+1', activeUnits: 0 })).toThrow(/activeUnits/);
  });
});

describe('installed base', () => {
  const steps = [
    { from: '2026-Q1', itMw: 20 },
    { from: '2028-03', itMw: 5 },
  ];
  it('draws nothing before its first step', () => {
    expect(installedBaseItMwAt(steps, '2025-Q4')).toBe(0);
  });
  it('draws the latest step before the end of the period', () => {
    expect(installedBaseItMwAt(steps, '2027-Q4')).toBe(20);
    expect(installedBaseItMwAt(steps, '2028-Q1')).toBe(5);
  });
  it('rejects a negative draw', () => {
    expect(() => installedBaseItMwAt([{ from: '2026-Q1', itMw: -1 }], '2026-Q1')).toThrow(/itMw/);
  });
});

describe('site', () => {
  it('fills price, jurisdiction and climate from the region', () => {
    const site = siteFromRegion(getRegion('us-va'), input);
    expect(site.energyPrice.kind === 'flat' && site.energyPrice.usdPerKwh.value).toBeCloseTo(
      0.0892,
      10,
    );
    expect(site.jurisdiction).toBe('us');
    expect(site.climate).toBe('temperate');
    expect(site.pue).toEqual({ kind: 'model' });
    expect(site.installedBase).toEqual([]);
  });

  it('asks for a carbon intensity where the region has none sourced', () => {
    const { carbonIntensityGPerKwh: _c, ...noCarbon } = input;
    expect(() => siteFromRegion(getRegion('us-va'), noCarbon)).toThrow(/carbon intensity/);
    expect(
      siteFromRegion(getRegion('se'), {
        ...noCarbon,
        energyPrice: { kind: 'flat', usdPerKwh: { value: 0.05, ref: { source: 't' } } },
      }).carbonIntensityGPerKwh.value,
    ).toBe(40.7);
  });

  it('averages a time-of-use price over 24 hours: (8·0.12 + 16·0.06)/24 = 0.08', () => {
    expect(
      averageEnergyPriceUsdPerKwh({
        kind: 'time-of-use',
        ref: { source: 'test' },
        windows: [
          { label: 'peak', hoursPerDay: 8, usdPerKwh: 0.12 },
          { label: 'off-peak', hoursPerDay: 16, usdPerKwh: 0.06 },
        ],
      }),
    ).toBeCloseTo(0.08, 12);
  });

  it('lists every bad field at once', () => {
    const site = siteFromRegion(getRegion('us-va'), input);
    expect(() => validateSite({ ...site, envelopeMw: -1, spaceRacks: 1.5 })).toThrow(
      /envelopeMw.*spaceRacks/,
    );
  });
});
