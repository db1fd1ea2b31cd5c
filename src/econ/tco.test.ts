import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTco, type TcoInput } from './tco.js';

/** One DGX-H100-class system, owned, in colocation. */
const BASE: TcoInput = {
  currencyYear: 'USD-2026',
  numGpus: 8,
  amortization: 'straight-line',
  costOfCapital: 0,
  capex: [{ item: 'systems', capexUsd: 270_000, lifeYears: 4, maintained: true }],
  energy: { facilityPowerWatts: 10_200 * 1.25, priceUsdPerKwh: 0.0892 },
  maintenanceShareOfCapexPerYear: 0.06,
  colocation: { itPowerKw: 10.2, usdPerKwMonth: 184.06 },
};

describe('TCO', () => {
  it('adds capex, energy, maintenance and space per hour as computed by hand', () => {
    // systems 270000 / (4 × 8760)            = 7.705479
    // energy 12.75 kW × 0.0892               = 1.137300
    // maintenance 0.06 × 270000 / 8760        = 1.849315
    // colocation 10.2 kW × 184.06 / 730       = 2.571797
    // total                                   = 13.263891; per GPU-hour / 8 = 1.657986
    const t = computeTco(BASE);
    expect(t.waterfall.map((w) => w.item)).toEqual([
      'systems',
      'energy',
      'maintenance',
      'colocation',
    ]);
    expect(t.usdPerHour).toBeCloseTo(13.263891, 5);
    expect(t.usdPerGpuHour).toBeCloseTo(1.657986, 5);
    expect(t.currencyYear).toBe('USD-2026');
  });

  it('charges rent per GPU-hour and software per GPU-year', () => {
    // rent 2 × 8 = 16; software 876 × 8 / 8760 = 0.8; staff 87,600 / 8760 = 10 → 26.8 USD/h
    const t = computeTco({
      currencyYear: 'USD-2026',
      numGpus: 8,
      amortization: 'straight-line',
      costOfCapital: 0,
      capex: [],
      rentUsdPerGpuHour: 2,
      softwareUsdPerGpuYear: 876,
      staffUsdPerYear: 87_600,
    });
    expect(t.usdPerHour).toBeCloseTo(26.8, 10);
  });

  it('does not maintain the building', () => {
    const t = computeTco({
      ...BASE,
      capex: [
        ...BASE.capex,
        { item: 'facility build', capexUsd: 1e6, lifeYears: 20, maintained: false },
      ],
    });
    const m = t.waterfall.find((w) => w.item === 'maintenance')!;
    expect(m.usdPerHour).toBeCloseTo((0.06 * 270_000) / 8760, 10);
  });

  const inputs = fc.record({
    systemsUsd: fc.double({ min: 0, max: 1e8, noNaN: true }),
    networkingUsd: fc.double({ min: 0, max: 1e7, noNaN: true }),
    facilityUsd: fc.double({ min: 0, max: 1e8, noNaN: true }),
    life: fc.double({ min: 1, max: 10, noNaN: true }),
    rate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    annuity: fc.boolean(),
    watts: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e8, noNaN: true })),
    price: fc.double({ min: 0, max: 1, noNaN: true }),
    maintenance: fc.double({ min: 0, max: 0.2, noNaN: true }),
    staff: fc.double({ min: 0, max: 1e7, noNaN: true }),
    software: fc.double({ min: 0, max: 1e4, noNaN: true }),
    gpus: fc.integer({ min: 1, max: 100_000 }),
  });
  const tcoOf = (x: Parameters<typeof build>[0]) => computeTco(build(x));
  function build(x: {
    systemsUsd: number;
    networkingUsd: number;
    facilityUsd: number;
    life: number;
    rate: number;
    annuity: boolean;
    watts: number;
    price: number;
    maintenance: number;
    staff: number;
    software: number;
    gpus: number;
  }): TcoInput {
    return {
      currencyYear: 'USD-2026',
      numGpus: x.gpus,
      amortization: x.annuity ? 'annuity' : 'straight-line',
      costOfCapital: x.rate,
      capex: [
        { item: 'systems', capexUsd: x.systemsUsd, lifeYears: x.life, maintained: true },
        { item: 'networking', capexUsd: x.networkingUsd, lifeYears: x.life, maintained: true },
        { item: 'facility build', capexUsd: x.facilityUsd, lifeYears: 20, maintained: false },
      ],
      energy: { facilityPowerWatts: x.watts, priceUsdPerKwh: x.price },
      maintenanceShareOfCapexPerYear: x.maintenance,
      staffUsdPerYear: x.staff,
      softwareUsdPerGpuYear: x.software,
    };
  }

  it('has waterfall parts that sum exactly to the total, with shares summing to one', () => {
    fc.assert(
      fc.property(inputs, (x) => {
        const t = tcoOf(x);
        let sum = 0;
        for (const w of t.waterfall) sum += w.usdPerHour;
        expect(sum).toBe(t.usdPerHour);
        if (t.usdPerHour > 0)
          expect(t.waterfall.reduce((a, w) => a + w.share, 0)).toBeCloseTo(1, 12);
        expect(t.usdPerGpuHour).toBe(t.usdPerHour / x.gpus);
      }),
    );
  });

  it('rises with capex and with the energy price', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (x, dCapex, dPrice) => {
          const t = tcoOf(x).usdPerHour;
          expect(tcoOf({ ...x, systemsUsd: x.systemsUsd + dCapex }).usdPerHour).toBeGreaterThan(t);
          const pricier = tcoOf({ ...x, price: x.price + dPrice }).usdPerHour;
          if (x.watts > 0) expect(pricier).toBeGreaterThan(t);
          else expect(pricier).toBe(t);
        },
      ),
    );
  });

  it('refuses zero GPUs and negative capex', () => {
    expect(() => computeTco({ ...BASE, numGpus: 0 })).toThrow(/numGpus must be > 0/);
    expect(() =>
      computeTco({ ...BASE, capex: [{ item: 'x', capexUsd: -1, lifeYears: 1, maintained: true }] }),
    ).toThrow(/capexUsd must be ≥ 0/);
  });
});
