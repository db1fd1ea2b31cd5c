import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCatalog, getAccelerator, getSystem } from '../catalog/catalog.js';
import { systemsThatFit, usableItPower, usableItPowerMw } from './power-chain-fit.js';
import { PROVISIONING_POLICIES, type ProvisioningPolicyName } from './power-chain-policy.js';
import type { Site } from './site.js';
import type { Redundancy } from './site-redundancy.js';

const catalog = defaultCatalog();
const ref = { source: 'test', provenance: 'assumption' as const };

const site = (over: Partial<Site> = {}): Site => ({
  id: 's',
  envelopeMw: 100,
  energyPrice: { kind: 'flat', usdPerKwh: { value: 0.0892, ref } },
  carbonIntensityGPerKwh: { value: 300, ref },
  jurisdiction: 'us',
  climate: 'temperate',
  cooling: 'direct-liquid',
  pue: { kind: 'constant', pue: 1.3 },
  rackDensityLimitKw: 132,
  spaceRacks: 1000,
  redundancy: { power: { scheme: 'N+1', activeUnits: 4 }, cooling: { scheme: 'N' } },
  installedBase: [],
  ...over,
});

const fit = (
  s: Site,
  systemId: string,
  policy: ProvisioningPolicyName = 'nameplate',
  period = '2027-Q1' as const,
) => {
  const system = getSystem(catalog, systemId);
  return systemsThatFit({
    site: s,
    system,
    accelerator: getAccelerator(catalog, system.acceleratorId),
    policy: PROVISIONING_POLICIES[policy],
    period,
  });
};

describe('usable IT power', () => {
  it('gives 100 MW × 4/5 (N+1 with 4+1) ÷ PUE 1.3 = 61.538 IT MW', () => {
    const u = usableItPower(site(), '2027-Q1');
    expect(u.usableItMw).toBeCloseTo(80 / 1.3, 9);
    expect(u.limitedBy).toBe('power');
  });

  it('gives half the envelope ÷ PUE under 2N: 38.46 IT MW', () => {
    expect(
      usableItPowerMw(
        site({ redundancy: { power: { scheme: '2N' }, cooling: { scheme: 'N' } } }),
        '2027-Q1',
      ),
    ).toBeCloseTo(50 / 1.3, 9);
  });

  it('lets N+1 cooling bind when it is stricter than power: 100/1.3 × 2/3 = 51.28 IT MW', () => {
    const u = usableItPower(
      site({ redundancy: { power: { scheme: 'N' }, cooling: { scheme: 'N+1', activeUnits: 2 } } }),
      '2027-Q1',
    );
    expect(u.usableItMw).toBeCloseTo((100 / 1.3) * (2 / 3), 9);
    expect(u.limitedBy).toBe('cooling');
  });

  it('checks the envelope at design-day PUE from the curve: liquid, temperate → 100 ÷ 1.2025', () => {
    const u = usableItPower(
      site({
        pue: { kind: 'model' },
        redundancy: { power: { scheme: 'N' }, cooling: { scheme: 'N' } },
      }),
      '2027-Q1',
    );
    expect(u.designDayPue.value).toBeCloseTo(1.2025, 12);
    expect(u.usableItMw).toBeCloseTo(100 / 1.2025, 9);
  });

  it('subtracts the installed base drawing in the period and gives its retired power back', () => {
    const s = site({
      installedBase: [
        { from: '2026-Q1', itMw: 10 },
        { from: '2028-Q1', itMw: 4 },
      ],
    });
    expect(usableItPowerMw(s, '2027-Q4')).toBeCloseTo(80 / 1.3 - 10, 9);
    expect(usableItPowerMw(s, '2028-Q1')).toBeCloseTo(80 / 1.3 - 4, 9);
  });

  it('reports an installed base above capacity as overcommitted, with zero usable', () => {
    const u = usableItPower(site({ installedBase: [{ from: '2026-Q1', itMw: 70 }] }), '2027-Q1');
    expect(u.usableItMw).toBe(0);
    expect(u.overcommittedItMw).toBeCloseTo(70 - 80 / 1.3, 9);
  });
});

describe('systems that fit', () => {
  it('fits 479 GB200 NVL72 racks in 61.538 IT MW (480 × 128.208 kW = 61.540 MW is 1.4 kW too many)', () => {
    const f = fit(site(), 'gb200-nvl72');
    expect(f.perSystemBudgetKw).toBeCloseTo(128.208, 9);
    expect(f.systemsPerRack).toBe(1);
    expect(f.byPower).toBe(479);
    expect(f.systems).toBe(479);
    expect(f.accelerators).toBe(479 * 72);
    expect(f.binding).toBe('power');
    expect(f.racksUsed).toBe(479);
    // Each 132 kW position strands 132 − 128.208 = 3.792 kW.
    expect(f.strandedInRacksKw).toBeCloseTo(479 * 3.792, 6);
    expect(f.headroomItMw).toBeCloseTo(80 / 1.3 - 479 * 0.128208, 9);
    expect(f.facilityPeakMw).toBeCloseTo(479 * 0.128208 * 1.3, 9);
    expect(f.powerKind).toBe('provisioned');
  });

  it('fits 554 NVL72 racks at 960 W per GPU (110.928 kW each), 21.072 kW stranded per rack', () => {
    const f = fit(site(), 'gb200-nvl72', 'meta-gb200-80pct');
    expect(f.systems).toBe(554);
    expect(f.strandedInRacksKw).toBeCloseTo(554 * (132 - 110.928), 6);
  });

  it('fits no NVL72 on 100 kW rack positions: density binds', () => {
    const f = fit(site({ rackDensityLimitKw: 100 }), 'gb200-nvl72');
    expect(f.systems).toBe(0);
    expect(f.binding).toBe('density');
    expect(f.strandedInRacksKw).toBe(0);
  });

  it('puts 3 HGX H100 (11.112 kW) in a 40 kW rack; 1,000 racks bind before power (5,538)', () => {
    const f = fit(site({ rackDensityLimitKw: 40 }), 'hgx-h100-8gpu');
    expect(f.systemsPerRack).toBe(3);
    expect(f.byPower).toBe(5538);
    expect(f.bySpace).toBe(3000);
    expect(f.systems).toBe(3000);
    expect(f.binding).toBe('space');
    expect(f.strandedInRacksKw).toBeCloseTo(1000 * (40 - 3 * 11.112), 6);
  });
});

describe('systems that fit: properties', () => {
  const systemId = fc.constantFrom('gb200-nvl72', 'hgx-h100-8gpu', 'hgx-b200-8gpu', 'mi300x-8gpu');
  const policy = fc.constantFrom<ProvisioningPolicyName>(
    'nameplate',
    'meta-gb200-80pct',
    'polca-oversubscribed',
  );
  const redundancy: fc.Arbitrary<Redundancy> = fc.oneof(
    fc.constant({ scheme: 'N' as const }),
    fc.integer({ min: 1, max: 8 }).map((k) => ({ scheme: 'N+1' as const, activeUnits: k })),
    fc.constant({ scheme: '2N' as const }),
  );
  const siteArb = fc.record({
    envelopeMw: fc.double({ min: 0, max: 500, noNaN: true }),
    pue: fc.double({ min: 1, max: 2.2, noNaN: true }),
    density: fc.double({ min: 5, max: 250, noNaN: true }),
    space: fc.integer({ min: 0, max: 5000 }),
    power: redundancy,
    cooling: redundancy,
    base: fc.double({ min: 0, max: 50, noNaN: true }),
  });
  interface SiteArgs {
    envelopeMw: number;
    pue: number;
    density: number;
    space: number;
    power: Redundancy;
    cooling: Redundancy;
    base: number;
  }
  const build = (a: SiteArgs): Site =>
    site({
      envelopeMw: a.envelopeMw,
      pue: { kind: 'constant', pue: a.pue },
      rackDensityLimitKw: a.density,
      spaceRacks: a.space,
      redundancy: { power: a.power, cooling: a.cooling },
      installedBase: [{ from: '2026-Q1', itMw: a.base }],
    });
  const share = (r: Redundancy): number =>
    r.scheme === 'N' ? 1 : r.scheme === '2N' ? 0.5 : r.activeUnits / (r.activeUnits + 1);

  it('more envelope never lowers the systems that fit', () => {
    fc.assert(
      fc.property(
        siteArb,
        fc.double({ min: 0, max: 300, noNaN: true }),
        systemId,
        policy,
        (a, extra, id, p) => {
          expect(
            fit(build({ ...a, envelopeMw: a.envelopeMw + extra }), id, p).systems,
          ).toBeGreaterThanOrEqual(fit(build(a), id, p).systems);
        },
      ),
    );
  });

  it('higher PUE never raises the systems that fit', () => {
    fc.assert(
      fc.property(
        siteArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        systemId,
        policy,
        (a, extra, id, p) => {
          expect(fit(build({ ...a, pue: a.pue + extra }), id, p).systems).toBeLessThanOrEqual(
            fit(build(a), id, p).systems,
          );
        },
      ),
    );
  });

  it('stricter redundancy (a smaller usable share) never raises the systems that fit', () => {
    fc.assert(
      fc.property(siteArb, redundancy, redundancy, systemId, policy, (a, r1, r2, id, p) => {
        const [strict, loose] = share(r1) <= share(r2) ? [r1, r2] : [r2, r1];
        expect(fit(build({ ...a, power: strict }), id, p).systems).toBeLessThanOrEqual(
          fit(build({ ...a, power: loose }), id, p).systems,
        );
        expect(fit(build({ ...a, cooling: strict }), id, p).systems).toBeLessThanOrEqual(
          fit(build({ ...a, cooling: loose }), id, p).systems,
        );
      }),
    );
  });

  it('conserves power: provisioned + headroom = usable, and the facility peak stays within the envelope', () => {
    fc.assert(
      fc.property(siteArb, systemId, policy, (a, id, p) => {
        const f = fit(build(a), id, p);
        expect(f.provisionedItMw + f.headroomItMw).toBeCloseTo(f.usable.usableItMw, 9);
        expect(f.headroomItMw).toBeGreaterThanOrEqual(-1e-9);
        expect(f.strandedInRacksKw).toBeGreaterThanOrEqual(-1e-9);
        expect(f.racksUsed).toBeLessThanOrEqual(a.space);
        if (f.usable.overcommittedItMw === 0)
          expect(f.facilityPeakMw).toBeLessThanOrEqual(a.envelopeMw * share(a.power) + 1e-9);
      }),
    );
  });
});
